package org.auditlog.stream.s3.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.auditlog.api.stream.NetworkGuard;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 clients of the streams, one per target (bucket, region, endpoint, credentials), at most {@value #MAX}
 * kept (the least recently used closed first): a client holds a pool of connections worth reusing from one batch
 * to the next. Each client resolves hosts through the server's guard only ({@link GuardedDns}) and never retries by
 * itself: the streams' delivery retries, with its backoff, keeping the batch's place.
 */
final class S3Clients implements AutoCloseable {
    static final int MAX = 64;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);

    /** A client and its transport, which the SDK leaves to its giver to close. */
    private record Entry(S3Client client, SdkHttpClient http, NetworkGuard guard) {
        void close() {
            client.close();
            http.close();
        }
    }

    /** The client of a target, made on first use. */
    synchronized S3Client client(S3Settings.Target target, NetworkGuard guard) {
        String key = target.cacheKey();
        Entry e = clients.get(key);
        if (e != null && e.guard() == guard) {
            return e.client();
        }
        if (e != null) {
            clients.remove(key);
            e.close();
        }
        Entry made = build(target, guard);
        clients.put(key, made);
        while (clients.size() > MAX) {
            var eldest = clients.entrySet().iterator();
            Entry gone = eldest.next().getValue();
            eldest.remove();
            gone.close();
        }
        return made.client();
    }

    private static Entry build(S3Settings.Target target, NetworkGuard guard) {
        SdkHttpClient http = Apache5HttpClient.builder()
                .dnsResolver(new GuardedDns(guard, target.plain()))
                // never through a proxy the JVM's properties or the environment name: the proxy would resolve the
                // host, past the guard
                .proxyConfiguration(ProxyConfiguration.builder()
                        .useSystemPropertyValues(false)
                        .useEnvironmentVariableValues(false)
                        .build())
                .connectionTimeout(CONNECT_TIMEOUT)
                .maxConnections(8)
                .build();
        S3ClientBuilder b = S3Client.builder()
                .httpClient(http)
                .region(Region.of(target.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(target.accessKeyId(), target.secretAccessKey())))
                .forcePathStyle(target.pathStyle())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (target.endpoint() != null) {
            b.endpointOverride(target.endpoint());
        }
        return new Entry(b.build(), http, guard);
    }

    @Override
    public synchronized void close() {
        for (Entry e : clients.values()) {
            e.close();
        }
        clients.clear();
    }
}
