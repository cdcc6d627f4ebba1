package org.auditlog.stream.s3.internal;

import static org.auditlog.stream.http.internal.HttpOutcomes.quoted;
import static org.auditlog.stream.http.internal.HttpOutcomes.retryAfter;

import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
import org.auditlog.api.stream.Delivery;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How the service's answer, or the failure to get one, becomes a {@link Delivery}:
 *
 * <ul>
 *   <li>401, 403 ({@code AccessDenied}, {@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch}): refused
 *       ({@code auth}). 404 ({@code NoSuchBucket}): refused ({@code not_found}). 301, 307 and
 *       {@code AuthorizationHeaderMalformed} (the bucket is in another region): refused ({@code rejected}).
 *   <li>408: retry ({@code timeout}). 429, 503 ({@code SlowDown}): retry ({@code throttled}). Another 5xx: retry
 *       ({@code server}). Each after the answer's {@code Retry-After}, at most a day.
 *   <li>Another 4xx: refused ({@code rejected}): the same request would be refused again as it is.
 *   <li>No answer: a host the network guard refuses is refused ({@code address}); otherwise retry, {@code timeout},
 *       {@code tls} (the handshake failed) or {@code network}.
 * </ul>
 *
 * Messages name the bucket, the host, S3's error code and its message, never a key or a secret.
 */
final class S3Outcomes {

    private S3Outcomes() {}

    static Delivery of(AwsServiceException e, S3Settings.Target target, Instant now) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String said = target.host() + " answered " + status + (code == null ? "" : " " + code) + " for the bucket "
                + target.bucket() + detail(e);
        Duration after = retryAfter(
                e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
                        ? null
                        : e.awsErrorDetails()
                                .sdkHttpResponse()
                                .firstMatchingHeader("Retry-After")
                                .orElse(null),
                now);
        if (status == 301 || status == 307 || "AuthorizationHeaderMalformed".equals(code)) {
            return Delivery.refused("rejected", said + ": the bucket is in another region than the stream's");
        }
        switch (status) {
            case 401, 403:
                return Delivery.refused(
                        "auth", said + ": check the access key and that it may write (s3:PutObject) to the bucket");
            case 404:
                return Delivery.refused("not_found", said + ": no such bucket");
            case 408:
                return Delivery.retry(after, "timeout", said);
            case 429:
                return Delivery.retry(after, "throttled", said);
            case 503:
                return Delivery.retry(after, "SlowDown".equals(code) ? "throttled" : "server", said);
            default:
                break;
        }
        if (status >= 400 && status < 500) {
            return Delivery.refused("rejected", said);
        }
        return Delivery.retry(after, "server", said);
    }

    /** A failure without an answer from the service. */
    static Delivery of(SdkException e, S3Settings.Target target, Duration timeout) {
        String where = target.host();
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Delivery.retry(null, "timeout", "no answer from " + where + " within " + timeout.toSeconds() + " s");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedDns.Refused) {
                return Delivery.refused("address", quoted(t.getMessage()));
            }
            if (t instanceof UnknownHostException) {
                return Delivery.retry(null, "network", "the host " + where + " does not resolve");
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return Delivery.retry(null, "tls", "TLS with " + where + " failed: " + quoted(message(t)));
            }
            if (t instanceof SocketTimeoutException) {
                return Delivery.retry(null, "timeout", "no answer from " + where + ": " + quoted(message(t)));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Delivery.retry(null, "network", "the exchange with " + where + " failed: " + quoted(innermost(e)));
    }

    private static String detail(AwsServiceException e) {
        String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return m == null || m.isBlank() ? "" : " (" + quoted(m) + ")";
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String innermost(Throwable e) {
        String message = null;
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
