package org.auditlog.stream.s3.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.auditlog.api.stream.BatchFile;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamDestination;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The {@code s3} destination: each batch is written to an S3-compatible bucket as the server's self-verifying file
 * ({@link BatchFile}): the gzipped NDJSON object, then its signed digest beside it, both under the stream's prefix.
 * The batch counts as delivered when the service has stored both (a {@code PutObject} answered 200 is durable in
 * S3's terms); the digest is written last, so an object without its digest is one whose batch is still to be
 * delivered again. A retry writes the same names with the same events, overwriting.
 *
 * <p>Requests are signed with SigV4 by the AWS SDK for Java 2 (its jars embedded in this bundle, on its
 * Bundle-ClassPath), over its Apache HttpClient 5 transport, whose only resolver is the server's network guard
 * ({@link GuardedDns}); the SDK's own retries are off (the streams' delivery retries with its backoff). A test
 * delivery writes a small text object {@code <prefix>auditlog-test/<id>.txt}, which no verifier reads.
 */
@Component(service = StreamDestination.class, property = StreamDestination.TYPE_PROPERTY + "=" + S3Destination.TYPE)
public final class S3Destination implements StreamDestination {
    static final String TYPE = "s3";

    private final S3Clients clients = new S3Clients();

    @Activate
    public S3Destination() {}

    @Deactivate
    void deactivate() {
        clients.close();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public DestinationSettings check(Map<String, Object> given, DestinationSettings stored, NetworkGuard guard)
            throws SettingsRefusedException {
        return S3Settings.check(TYPE, given, stored, guard);
    }

    @Override
    public Delivery deliver(StreamBatch batch, DestinationSettings settings, DeliveryContext context) {
        long deadline = System.nanoTime() + context.timeout().toNanos();
        S3Settings.Target target;
        try {
            target = S3Settings.target(settings);
        } catch (IllegalArgumentException e) {
            return Delivery.refused("internal", "the stored settings cannot be used: " + e.getMessage());
        }
        Optional<BatchFile> file;
        try {
            file = context.file(batch);
        } catch (IllegalStateException e) {
            return Delivery.retry(null, "internal", e.getMessage());
        }
        S3Client client = clients.client(target, context.guard());
        try {
            if (file.isEmpty()) {
                String text = "A test delivery of the stream " + batch.streamId() + " at "
                        + context.clock().instant() + ". This object can be deleted.\n";
                put(
                        client,
                        target,
                        "auditlog-test/" + batch.id() + ".txt",
                        "text/plain; charset=utf-8",
                        text.getBytes(StandardCharsets.UTF_8),
                        deadline);
                return Delivery.accepted();
            }
            BatchFile f = file.get();
            put(client, target, f.name(), BatchFile.CONTENT_TYPE, f.content(), deadline);
            put(client, target, f.digestName(), BatchFile.DIGEST_TYPE, f.digest(), deadline);
            return Delivery.accepted();
        } catch (AwsServiceException e) {
            return S3Outcomes.of(e, target, context.clock().instant());
        } catch (SdkException e) {
            return S3Outcomes.of(e, target, context.timeout());
        }
    }

    private static void put(
            S3Client client, S3Settings.Target target, String name, String type, byte[] content, long deadline) {
        long left = deadline - System.nanoTime();
        Duration timeout = Duration.ofNanos(Math.max(left, 1_000_000L));
        client.putObject(
                PutObjectRequest.builder()
                        .bucket(target.bucket())
                        .key(target.prefix() + name)
                        .contentType(type)
                        .contentLength((long) content.length)
                        .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                        .build(),
                RequestBody.fromBytes(content));
    }
}
