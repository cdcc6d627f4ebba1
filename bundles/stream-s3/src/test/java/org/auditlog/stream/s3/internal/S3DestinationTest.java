package org.auditlog.stream.s3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.stream.BatchFile;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DeliveryContext;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.NetworkGuard;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.testing.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The destination against a real S3-compatible server (S3Mock), through the real SDK. */
class S3DestinationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);
    private static S3MockServer s3;
    private static S3Client reader;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3MockServer.start("audit-bucket", "other-bucket");
        reader = S3Client.builder()
                .httpClient(Apache5HttpClient.builder().build())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("reader", "x")))
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    record Context(Duration timeout, NetworkGuard guard, Clock clock, Function<StreamBatch, Optional<BatchFile>> files)
            implements DeliveryContext {
        @Override
        public Optional<BatchFile> file(StreamBatch batch) {
            return files.apply(batch);
        }
    }

    static StreamBatch batch(long first, long last) {
        AuditRecord r = new AuditRecord(
                912420565585756160L,
                "ACME",
                "Apps",
                Instant.parse("2026-11-01T09:30:00Z"),
                "Member",
                "Invite a member",
                "bob was invited",
                "u1",
                "Ann",
                "ann@acme.example",
                "203.0.113.5",
                "Mozilla/5.0",
                AuditRecord.V1);
        return new StreamBatch(
                "s1-ACME-Apps-" + first + "-" + last,
                "s1",
                "ACME",
                "Apps",
                first,
                last,
                List.of(new StreamEvent(first, r)),
                1);
    }

    static BatchFile file(StreamBatch b) {
        String name = String.format("ACME/Apps/2026/11/01/%020d-%020d.ndjson.gz", b.firstSequence(), b.lastSequence());
        return new BatchFile(
                name,
                ("gzip of " + b.id()).getBytes(StandardCharsets.UTF_8),
                name + ".digest",
                ("digest of " + b.id() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static DestinationSettings settings(String bucket, String prefix, URI endpoint) {
        Map<String, String> s = new TreeMap<>();
        s.put(S3Settings.BUCKET, bucket);
        s.put(S3Settings.ENDPOINT, endpoint.toString());
        s.put(S3Settings.PATH_STYLE, "true");
        if (!prefix.isEmpty()) {
            s.put(S3Settings.PREFIX, prefix);
        }
        return new DestinationSettings(
                "s3",
                s,
                Map.of(S3Settings.ACCESS_KEY_ID, "AKIDEXAMPLE", S3Settings.SECRET_ACCESS_KEY, "secret/key+example"));
    }

    static Context context(NetworkGuard guard) {
        return new Context(Duration.ofSeconds(20), guard, CLOCK, b -> Optional.of(file(b)));
    }

    private byte[] read(String bucket, String key) {
        ResponseBytes<GetObjectResponse> got =
                reader.getObjectAsBytes(g -> g.bucket(bucket).key(key));
        return got.asByteArray();
    }

    @Test
    void writesTheFileAndThenItsDigestUnderThePrefix() {
        S3Destination d = new S3Destination();
        try {
            StreamBatch b = batch(41, 540);
            Delivery outcome = d.deliver(
                    b, settings("audit-bucket", "audit/acme/", s3.endpoint()), context(new Guard(true, true)));
            assertTrue(outcome.isAccepted(), outcome.toString());
            BatchFile f = file(b);
            assertArrayEquals(f.content(), read("audit-bucket", "audit/acme/" + f.name()));
            assertArrayEquals(f.digest(), read("audit-bucket", "audit/acme/" + f.digestName()));
            var head = reader.headObject(h -> h.bucket("audit-bucket").key("audit/acme/" + f.name()));
            assertEquals(BatchFile.CONTENT_TYPE, head.contentType());
            List<String> keys =
                    reader.listObjectsV2(l -> l.bucket("audit-bucket").prefix("audit/acme/")).contents().stream()
                            .map(S3Object::key)
                            .toList();
            assertEquals(List.of("audit/acme/" + f.name(), "audit/acme/" + f.digestName()), keys);
        } finally {
            d.deactivate();
        }
    }

    @Test
    void aRetryOverwritesTheSameObjects() {
        S3Destination d = new S3Destination();
        try {
            StreamBatch b = batch(1000, 1499);
            DestinationSettings s = settings("other-bucket", "", s3.endpoint());
            assertTrue(d.deliver(b, s, context(new Guard(true, true))).isAccepted());
            assertTrue(d.deliver(b, s, context(new Guard(true, true))).isAccepted());
            long count = reader.listObjectsV2(l -> l.bucket("other-bucket").prefix("ACME/Apps/")).contents().stream()
                    .filter(o -> o.key().contains("00000000000000001000-"))
                    .count();
            assertEquals(2, count, "the file and its digest, once each");
        } finally {
            d.deactivate();
        }
    }

    @Test
    void aTestDeliveryWritesATextObjectNoVerifierReads() {
        S3Destination d = new S3Destination();
        try {
            StreamBatch b = batch(0, 0);
            Context test = new Context(Duration.ofSeconds(20), new Guard(true, true), CLOCK, x -> Optional.empty());
            assertTrue(d.deliver(b, settings("audit-bucket", "t/", s3.endpoint()), test)
                    .isAccepted());
            String text =
                    new String(read("audit-bucket", "t/auditlog-test/" + b.id() + ".txt"), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("A test delivery of the stream s1 at 2026-11-02T10:00:00Z"), text);
        } finally {
            d.deactivate();
        }
    }

    @Test
    void aMissingBucketIsRefusedAsNotFound() {
        S3Destination d = new S3Destination();
        try {
            Delivery outcome = d.deliver(
                    batch(0, 0), settings("no-such-bucket", "", s3.endpoint()), context(new Guard(true, true)));
            assertEquals(Delivery.Outcome.REFUSED, outcome.outcome(), outcome.toString());
            assertEquals("not_found", outcome.category());
            assertTrue(outcome.message().contains("no-such-bucket"), outcome.message());
        } finally {
            d.deactivate();
        }
    }

    @Test
    void anAddressTheGuardRefusesAtConnectionIsRefusedAndNothingIsSent() {
        S3Destination d = new S3Destination();
        try {
            Guard refusing = new Guard(false, false);
            Delivery outcome = d.deliver(batch(0, 0), settings("audit-bucket", "g/", s3.endpoint()), context(refusing));
            assertEquals(Delivery.Outcome.REFUSED, outcome.outcome(), outcome.toString());
            assertEquals("address", outcome.category());
            assertTrue(refusing.resolutions.get() > 0, "the host was resolved through the guard");
            assertTrue(reader.listObjectsV2(l -> l.bucket("audit-bucket").prefix("g/"))
                    .contents()
                    .isEmpty());
        } finally {
            d.deactivate();
        }
    }

    @Test
    void plainHttpToAnAddressNotAllowedPlainIsRefused() {
        S3Destination d = new S3Destination();
        try {
            Delivery outcome = d.deliver(
                    batch(0, 0), settings("audit-bucket", "p/", s3.endpoint()), context(new Guard(true, false)));
            assertEquals("address", outcome.category(), outcome.toString());
            assertTrue(outcome.message().contains("plain http"), outcome.message());
        } finally {
            d.deactivate();
        }
    }

    @Test
    void aServerThatIsDownIsRetriedAsANetworkFailure() throws Exception {
        S3Destination d = new S3Destination();
        try {
            URI down = URI.create("http://127.0.0.1:" + S3MockServer.freePort());
            Delivery outcome =
                    d.deliver(batch(0, 0), settings("audit-bucket", "", down), context(new Guard(true, true)));
            assertEquals(Delivery.Outcome.RETRY, outcome.outcome(), outcome.toString());
            assertEquals("network", outcome.category());
        } finally {
            d.deactivate();
        }
    }

    @Test
    void aBatchTheServerCannotProveNowIsRetried() {
        S3Destination d = new S3Destination();
        try {
            Context unproven = new Context(Duration.ofSeconds(20), new Guard(true, true), CLOCK, b -> {
                throw new IllegalStateException("the evidence service is not running");
            });
            Delivery outcome = d.deliver(batch(0, 0), settings("audit-bucket", "", s3.endpoint()), unproven);
            assertEquals(Delivery.Outcome.RETRY, outcome.outcome());
            assertEquals("internal", outcome.category());
            assertEquals("the evidence service is not running", outcome.message());
        } finally {
            d.deactivate();
        }
    }
}
