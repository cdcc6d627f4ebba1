package org.auditlog.stream.s3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.auditlog.api.stream.Delivery;
import org.auditlog.stream.http.internal.HttpOutcomes;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3's answers as the SDK reports them, and failures without an answer, as outcomes. */
class S3OutcomesTest {
    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final S3Settings.Target TARGET = new S3Settings.Target(
            "acme-audit", "eu-west-3", URI.create("https://s3.example.test"), true, "", "AKID", "SECRET");

    static S3Exception answer(int status, String code, String retryAfter) {
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
        if (retryAfter != null) {
            http.putHeader("Retry-After", retryAfter);
        }
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage("message of " + code + "\r\nwith a second line")
                        .sdkHttpResponse(http.build())
                        .build())
                .build();
    }

    private static void assertOutcome(Delivery d, Delivery.Outcome outcome, String category) {
        assertEquals(outcome, d.outcome(), d.toString());
        assertEquals(category, d.category(), d.toString());
        assertTrue(!d.message().contains("SECRET") && !d.message().contains("AKID"), d.message());
    }

    @Test
    void answersBecomeOutcomes() {
        assertOutcome(S3Outcomes.of(answer(403, "AccessDenied", null), TARGET, NOW), Delivery.Outcome.REFUSED, "auth");
        assertOutcome(
                S3Outcomes.of(answer(403, "InvalidAccessKeyId", null), TARGET, NOW), Delivery.Outcome.REFUSED, "auth");
        Delivery missing = S3Outcomes.of(answer(404, "NoSuchBucket", null), TARGET, NOW);
        assertOutcome(missing, Delivery.Outcome.REFUSED, "not_found");
        assertEquals(
                "s3.example.test answered 404 NoSuchBucket for the bucket acme-audit (message of NoSuchBucket  with a"
                        + " second line): no such bucket",
                missing.message(),
                "one line, the host, the code and S3's message");
        assertOutcome(
                S3Outcomes.of(answer(301, "PermanentRedirect", null), TARGET, NOW),
                Delivery.Outcome.REFUSED,
                "rejected");
        assertOutcome(
                S3Outcomes.of(answer(400, "AuthorizationHeaderMalformed", null), TARGET, NOW),
                Delivery.Outcome.REFUSED,
                "rejected");
        assertOutcome(
                S3Outcomes.of(answer(400, "InvalidArgument", null), TARGET, NOW), Delivery.Outcome.REFUSED, "rejected");
        assertOutcome(S3Outcomes.of(answer(500, "InternalError", null), TARGET, NOW), Delivery.Outcome.RETRY, "server");
        assertOutcome(
                S3Outcomes.of(answer(503, "ServiceUnavailable", null), TARGET, NOW), Delivery.Outcome.RETRY, "server");
        assertOutcome(
                S3Outcomes.of(answer(408, "RequestTimeout", null), TARGET, NOW), Delivery.Outcome.RETRY, "timeout");
    }

    @Test
    void slowDownAndTooManyRequestsAreThrottledAfterTheirRetryAfter() {
        Delivery slow = S3Outcomes.of(answer(503, "SlowDown", "7"), TARGET, NOW);
        assertOutcome(slow, Delivery.Outcome.RETRY, "throttled");
        assertEquals(Duration.ofSeconds(7), slow.retryAfter());
        Delivery many = S3Outcomes.of(answer(429, "TooManyRequests", "Mon, 02 Nov 2026 10:01:00 GMT"), TARGET, NOW);
        assertOutcome(many, Delivery.Outcome.RETRY, "throttled");
        assertEquals(Duration.ofSeconds(60), many.retryAfter());
        assertEquals(
                HttpOutcomes.MAX_RETRY_AFTER,
                S3Outcomes.of(answer(429, "x", "999999999"), TARGET, NOW).retryAfter());
        assertEquals(null, S3Outcomes.of(answer(429, "x", "soon"), TARGET, NOW).retryAfter());
    }

    @Test
    void failuresWithoutAnAnswerAreRetriedByKind() {
        Duration t = Duration.ofSeconds(30);
        assertOutcome(
                S3Outcomes.of(ApiCallTimeoutException.create(30_000), TARGET, t), Delivery.Outcome.RETRY, "timeout");
        assertOutcome(
                S3Outcomes.of(
                        SdkClientException.create("x", new SSLHandshakeException("PKIX path building failed")),
                        TARGET,
                        t),
                Delivery.Outcome.RETRY,
                "tls");
        assertOutcome(
                S3Outcomes.of(SdkClientException.create("x", new SocketTimeoutException("Read timed out")), TARGET, t),
                Delivery.Outcome.RETRY,
                "timeout");
        assertOutcome(
                S3Outcomes.of(SdkClientException.create("x", new java.net.ConnectException("refused")), TARGET, t),
                Delivery.Outcome.RETRY,
                "network");
        Delivery refused = S3Outcomes.of(
                SdkClientException.create("x", new GuardedDns.Refused("10.0.0.5 is a private address")), TARGET, t);
        assertOutcome(refused, Delivery.Outcome.REFUSED, "address");
        assertEquals("10.0.0.5 is a private address", refused.message());
    }
}
