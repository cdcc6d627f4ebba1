package org.auditlog.stream.webhook.internal;

import java.time.Instant;
import org.auditlog.api.stream.Delivery;
import org.auditlog.stream.http.internal.HttpOutcomes;
import org.auditlog.stream.http.internal.HttpSender;

/**
 * How a receiver's answer becomes a {@link Delivery}: as {@link HttpOutcomes} says for every HTTP destination, with
 * the webhook's advice: 401 and 403 ({@code auth}) to check the secret the receiver verifies with, 404
 * ({@code not_found}) that no receiver is at the url, and 410 ({@code rejected}) that the receiver asks for no more
 * deliveries. A redirect's {@code Location} is quoted as it came.
 */
final class Outcomes {
    static final HttpOutcomes.Receiver RECEIVER = new HttpOutcomes.Receiver() {
        @Override
        public String noun() {
            return "receiver";
        }

        @Override
        public String advice(int status) {
            return switch (status) {
                case 401, 403 -> ": check that the receiver verifies with this stream's secret";
                case 404 -> ": no receiver at the url";
                case 410 -> ": the receiver asks for no more deliveries";
                default -> "";
            };
        }
    };

    private Outcomes() {}

    static Delivery of(HttpSender.Answer answer, String host, Instant now) {
        return HttpOutcomes.of(answer, HttpOutcomes.said(host, answer.status()), RECEIVER, now);
    }
}
