package org.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams delivering to a local webhook receiver, on the embedded HSQLDB, with baselines measured in the same run.
 * It prints figures and ratios, and asserts nothing.
 *
 * <ol>
 *   <li><b>Lag.</b> The server's highest ingest rate is measured for a few seconds (batches as {@link
 *       IngestBenchmark} posts them, several clients); then 10 organizations get one {@code webhook} stream each to
 *       one receiver in this JVM (plain HTTP on 127.0.0.1, which reads the body, answers 204 at once and verifies
 *       nothing), and events are posted at half that rate for a fixed time, spread evenly over the 10
 *       organizations. An event's lag is the time the receiver got the batch holding it minus the time the ingest
 *       request that carried it was answered 201 (its commit). Each organization has one ingest request in flight
 *       at a time and nothing else writes to its log meanwhile, so its sequences are given out in the order of its
 *       requests from the log's size at the start, and each event's request is known from its sequence without
 *       reading the bodies. p50, p99, max and count; goal p99 under 2 s. Ten organizations with a stream each
 *       rather than ten streams of one organization: every event is delivered once, so the delivery work equals
 *       the ingest, as on a server where many organizations each stream to their own SIEM, and the ten streams
 *       still share the look and the delivery threads; ten streams of one organization would deliver every event
 *       ten times, and requests to one organization in flight together would leave the order of its sequences
 *       unknown.
 *   <li><b>Catch-up.</b> An organization is given a backlog of 1,000,000 events with no stream, then one stream is
 *       created and timed until the receiver got the last sequence. Baseline: the same receiver sent the same
 *       bodies with the same headers, as the receiver recorded them, by a plain {@code java.net.http} client, one
 *       batch at a time. events/s of both and their ratio; goal 80%. Three rounds (the later ones through the
 *       stream's replay from sequence 0), each followed by the baseline.
 *   <li><b>Ingest with streams.</b> Ingest events/s for a fixed time (several clients, as fast as they can) with
 *       the 10 streams paused (no delivery), then into 10 other organizations while the streams are active with
 *       nothing to deliver (what their looks and leases cost), then into the streamed organizations while they
 *       deliver it; alternating, each round starting with every stream caught up; medians, range and ratios to
 *       the first; goal 90%.
 * </ol>
 *
 * <p>Argument: the distribution folder. Sizes are system properties ({@code -Dbench.streamBacklog=…}, see {@link
 * Config}); {@code -Dbench.streamQuick=true} makes every size small for trying it.
 */
public final class StreamBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The operator token of {@link IngestBenchmark#activeOrg}. */
    private static final String TOKEN = "benchmark-operator-token-0123456789";

    private static final String PRODUCT = "Apps";
    private static final String BACKLOG_ORG = "STREAMBACKLOG";
    private static final String BASELINE_PATH = "BASELINE";
    private static final String SECRET = "whsec_"
            + Base64.getEncoder()
                    .encodeToString(
                            "stream-benchmark-signing-key-0123".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    /**
     * The sizes, from system properties (default; with {@code -Dbench.streamQuick=true}): {@code bench.streamCount}
     * streams and organizations (10), {@code bench.streamBatch} events per ingest request (100), {@code
     * bench.streamClients} ingest clients (4), {@code bench.streamWarmupSeconds} (15; 3), {@code
     * bench.streamRateSeconds} to measure the highest rate (6; 3), {@code bench.streamLagSeconds} (25; 8), {@code
     * bench.streamLagFraction} of the highest rate (0.5), {@code bench.streamRounds} of (3) (3), {@code
     * bench.streamRoundSeconds} (10; 3), {@code bench.streamBacklog} events (1,000,000; 50,000), {@code
     * bench.streamCatchUpRounds} (3; 1).
     */
    record Config(
            int streams,
            int batch,
            int clients,
            double warmupSeconds,
            double rateSeconds,
            double lagSeconds,
            double lagFraction,
            int rounds,
            double roundSeconds,
            int backlog,
            int catchUpRounds) {
        static Config fromProperties() {
            boolean quick = Boolean.getBoolean("bench.streamQuick");
            return new Config(
                    Integer.getInteger("bench.streamCount", 10),
                    Integer.getInteger("bench.streamBatch", 100),
                    Integer.getInteger("bench.streamClients", 4),
                    dbl("bench.streamWarmupSeconds", quick ? 3 : 15),
                    dbl("bench.streamRateSeconds", quick ? 3 : 6),
                    dbl("bench.streamLagSeconds", quick ? 8 : 25),
                    dbl("bench.streamLagFraction", 0.5),
                    Integer.getInteger("bench.streamRounds", 3),
                    dbl("bench.streamRoundSeconds", quick ? 3 : 10),
                    Integer.getInteger("bench.streamBacklog", quick ? 50_000 : 1_000_000),
                    Integer.getInteger("bench.streamCatchUpRounds", quick ? 1 : 3));
        }

        private static double dbl(String name, double otherwise) {
            String v = System.getProperty(name, "").strip();
            return v.isEmpty() ? otherwise : Double.parseDouble(v);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        if (!Files.isExecutable(dist.resolve("bin/auditlog"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build it with mvn install first)");
        }
        Config cfg = Config.fromProperties();
        Path data = Files.createTempDirectory("auditlog-bench-streams");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Stream benchmark: %s; %d cores, %s, Java %s%n",
                cfg,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"));
        System.out.println("data folder: " + data);

        List<String> orgs = new ArrayList<>();
        List<String> quiet = new ArrayList<>(); // organizations without a stream
        for (int i = 0; i < cfg.streams(); i++) {
            orgs.add("STREAM" + i);
            quiet.add("QUIET" + i);
        }
        Process server = start(dist, data, port);
        try (Receiver receiver = Receiver.start()) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            IngestBenchmark.awaitHealthy(http, port);
            for (String org : orgs) {
                IngestBenchmark.activeOrg(http, port, org);
            }
            for (String org : quiet) {
                IngestBenchmark.activeOrg(http, port, org);
            }
            IngestBenchmark.activeOrg(http, port, BACKLOG_ORG);
            Ingest ingest = new Ingest(http, port, IngestBenchmark.ingestToken(http, port), cfg.batch());

            // JIT warm-up of ingest, then its highest rate with no stream
            List<String> all = new ArrayList<>(orgs);
            all.addAll(quiet);
            ingest.closedLoop(all, cfg.clients(), cfg.warmupSeconds());
            double max = ingest.closedLoop(orgs, cfg.clients(), cfg.rateSeconds());
            System.out.printf(
                    "highest ingest rate (no stream, %d clients, batches of %d): %,.0f events/s%n",
                    cfg.clients(), cfg.batch(), max);

            // one stream per organization; what was ingested so far is their first backlog (a warm-up of delivery)
            Streams streams = new Streams(http, port);
            long t0 = System.nanoTime();
            for (String org : orgs) {
                streams.create(org, receiver.url(org));
            }
            Map<String, Long> backlog = streams.sizes(orgs);
            receiver.awaitDelivered(backlog, 600);
            System.out.printf(
                    "%d streams created and caught up with %,d events in %.1f s%n",
                    orgs.size(),
                    backlog.values().stream().mapToLong(Long::longValue).sum(),
                    secondsSince(t0));

            lag(cfg, ingest, receiver, streams, orgs, max);
            ingestRounds(cfg, ingest, receiver, streams, orgs, quiet);
            catchUp(cfg, http, port, ingest, receiver, streams, orgs);
        } finally {
            ExportBenchmark.stop(server);
        }
        ExportBenchmark.deleteTree(data);
    }

    // ------------------------------------------------------------------------------------------------------------
    // (1) lag

    static void lag(Config cfg, Ingest ingest, Receiver receiver, Streams streams, List<String> orgs, double max)
            throws Exception {
        double rate = max * cfg.lagFraction();
        // every stream is caught up and nothing else writes to these logs now: the first sequence of the phase
        Map<String, Long> base = streams.sizes(orgs);
        receiver.arrivals.clear();
        Map<String, List<Long>> acks = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        double sent = ingest.paced(orgs, rate, cfg.lagSeconds(), acks);
        double achieved = sent / secondsSince(start);
        Map<String, Long> total = streams.sizes(orgs);
        for (String org : orgs) {
            long expected = base.get(org) + (long) acks.get(org).size() * cfg.batch();
            if (total.get(org) != expected) {
                System.out.printf(
                        "WARNING: the log of %s holds %d events, %d expected: the lags are not exact%n",
                        org, total.get(org), expected);
            }
        }
        long drainStart = System.nanoTime();
        boolean drained = receiver.awaitDelivered(total, 120);
        double drain = secondsSince(drainStart);

        // per event: the first arrival of its sequence minus the answer to its request
        List<Arrival> arrivals = new ArrayList<>(receiver.arrivals);
        arrivals.sort(Comparator.comparingLong(Arrival::nanos));
        Map<String, BitSet> seen = new LinkedHashMap<>();
        long[] lags = new long[(int) sent];
        int n = 0;
        long batches = 0;
        for (Arrival a : arrivals) {
            List<Long> ack = acks.get(a.org());
            if (ack == null) {
                continue;
            }
            long from = base.get(a.org());
            BitSet s = seen.computeIfAbsent(a.org(), k -> new BitSet());
            boolean any = false;
            for (long seq = Math.max(a.first(), from); seq <= a.last(); seq++) {
                int i = (int) (seq - from);
                int request = i / cfg.batch();
                if (request >= ack.size() || s.get(i)) {
                    continue;
                }
                s.set(i);
                lags[n++] = a.nanos() - ack.get(request);
                any = true;
            }
            if (any) {
                batches++;
            }
        }
        long[] sorted = Arrays.copyOf(lags, n);
        Arrays.sort(sorted);
        System.out.println();
        System.out.printf(
                "(1) lag from commit to the receiver, %d streams (one per organization), ingest at %.0f%% of the "
                        + "highest rate: %,.0f events/s asked, %,.0f events/s posted for %.0f s (batches of %d)%n",
                orgs.size(), 100 * cfg.lagFraction(), rate, achieved, cfg.lagSeconds(), cfg.batch());
        System.out.printf(
                "    lag p50 %s, p99 %s, max %s, min %s; %,d events of %,.0f in %,d deliveries (%.0f events each); "
                        + "all delivered %.1f s after the last post%s (goal: p99 < 2 s)%n",
                ms(percentile(sorted, 0.50)),
                ms(percentile(sorted, 0.99)),
                ms(n == 0 ? 0 : sorted[n - 1]),
                ms(n == 0 ? 0 : sorted[0]),
                n,
                sent,
                batches,
                batches == 0 ? 0.0 : (double) n / batches,
                drain,
                drained ? "" : " (NOT all delivered within 120 s)");
        StringBuilder own = new StringBuilder();
        for (String org : orgs) {
            JsonNode log = streams.get(org).get("logs").get(0);
            own.append(own.length() == 0 ? "" : ", ")
                    .append(log.get("lagMillis").asLong());
        }
        System.out.println("    the server's own lagMillis of each stream's last batch: " + own + " ms");
        receiver.arrivals.clear();
    }

    // ------------------------------------------------------------------------------------------------------------
    // (3) ingest with streams against none

    static void ingestRounds(
            Config cfg, Ingest ingest, Receiver receiver, Streams streams, List<String> orgs, List<String> quiet)
            throws Exception {
        List<Double> none = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        System.out.println();
        for (int round = 1; round <= cfg.rounds(); round++) {
            for (String org : orgs) {
                streams.action(org, "pause");
            }
            Thread.sleep(500); // a look sees them paused
            none.add(ingest.closedLoop(orgs, cfg.clients(), cfg.roundSeconds()));
            for (String org : orgs) {
                streams.action(org, "resume");
            }
            long t = System.nanoTime();
            receiver.awaitDelivered(streams.sizes(orgs), 600);
            double catchUp = secondsSince(t);
            idle.add(ingest.closedLoop(quiet, cfg.clients(), cfg.roundSeconds()));
            with.add(ingest.closedLoop(orgs, cfg.clients(), cfg.roundSeconds()));
            t = System.nanoTime();
            receiver.awaitDelivered(streams.sizes(orgs), 600);
            double behind = secondsSince(t);
            receiver.arrivals.clear();
            System.out.printf(
                    "(3) round %d: ingest with no stream delivering %,.0f events/s; into other organizations while the "
                            + "%d streams are active with nothing to deliver %,.0f (%.0f%%); with the %d streams "
                            + "delivering %,.0f (%.0f%%), all delivered %.1f s after the last post; (the paused streams "
                            + "caught up in %.1f s)%n",
                    round,
                    last(none),
                    orgs.size(),
                    last(idle),
                    100 * last(idle) / last(none),
                    orgs.size(),
                    last(with),
                    100 * last(with) / last(none),
                    behind,
                    catchUp);
        }
        double mn = ExportBenchmark.median(none);
        double mi = ExportBenchmark.median(idle);
        double mw = ExportBenchmark.median(with);
        System.out.printf(
                "(3) ingest, %d clients, batches of %d, %.0f s a round, medians of %d rounds: no stream %,.0f events/s "
                        + "(%,.0f-%,.0f); %d streams with nothing to deliver %,.0f (%,.0f-%,.0f): %.0f%%; %d streams "
                        + "delivering %,.0f (%,.0f-%,.0f): %.0f%% (goal >= 90%%)%n",
                cfg.clients(),
                cfg.batch(),
                cfg.roundSeconds(),
                cfg.rounds(),
                mn,
                min(none),
                maxOf(none),
                orgs.size(),
                mi,
                min(idle),
                maxOf(idle),
                100 * mi / mn,
                orgs.size(),
                mw,
                min(with),
                maxOf(with),
                100 * mw / mn);
        for (String org : orgs) {
            streams.action(org, "pause"); // out of the way of the catch-up
        }
    }

    static double last(List<Double> v) {
        return v.get(v.size() - 1);
    }

    // ------------------------------------------------------------------------------------------------------------
    // (2) catch-up

    static void catchUp(
            Config cfg, HttpClient http, int port, Ingest ingest, Receiver receiver, Streams streams, List<String> orgs)
            throws Exception {
        System.out.println();
        long t = System.nanoTime();
        Ingest fill = new Ingest(http, port, ingest.token, 1000);
        long events = fill.count(BACKLOG_ORG, cfg.backlog(), cfg.clients());
        System.out.printf(
                "(2) backlog: %,d events into %s (batches of 1,000, no stream) at %,.0f events/s%n",
                events, BACKLOG_ORG, events / secondsSince(t));
        List<Double> server = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Arrival> recorded = null;
        for (int round = 1; round <= cfg.catchUpRounds(); round++) {
            receiver.arrivals.clear();
            receiver.reset(BACKLOG_ORG);
            receiver.keepBodies = round == 1;
            long start = System.nanoTime();
            if (round == 1) {
                streams.create(BACKLOG_ORG, receiver.url(BACKLOG_ORG));
            } else {
                streams.replayFromStart(BACKLOG_ORG);
            }
            // the log also holds the server's own records of the organization (its plan, the stream's creation)
            long size = streams.sizes(List.of(BACKLOG_ORG)).get(BACKLOG_ORG);
            if (!receiver.awaitDelivered(Map.of(BACKLOG_ORG, size), 3600)) {
                throw new IllegalStateException("the backlog was not delivered within an hour");
            }
            List<Arrival> got = receiver.of(BACKLOG_ORG);
            long end = got.stream()
                    .filter(a -> a.last() == size - 1)
                    .mapToLong(Arrival::nanos)
                    .min()
                    .orElseThrow();
            long first = got.stream().mapToLong(Arrival::nanos).min().orElseThrow();
            double rate = size / ((end - start) / 1e9);
            server.add(rate);
            System.out.printf(
                    "(2) round %d: the stream delivered %,d events in %.1f s (first batch %.0f ms after the %s): "
                            + "%,.0f events/s in %d deliveries%n",
                    round,
                    size,
                    (end - start) / 1e9,
                    (first - start) / 1e6,
                    round == 1 ? "stream was created" : "replay",
                    rate,
                    got.size());
            if (round == 1) {
                recorded = deduplicated(got);
                receiver.keepBodies = false;
            }
            receiver.arrivals.clear();
            double base = baseline(receiver, recorded);
            plain.add(base);
            System.out.printf(
                    "(2) round %d: baseline, the same %d bodies posted one at a time by java.net.http: %,.0f events/s; "
                            + "stream / baseline %.0f%%%n",
                    round, recorded.size(), base, 100 * rate / base);
        }
        double ms = ExportBenchmark.median(server);
        double mb = ExportBenchmark.median(plain);
        System.out.printf(
                "(2) catch-up of %,d events by one stream: %,.0f events/s, baseline %,.0f events/s: %.0f%% "
                        + "(goal >= 80%%)%n",
                events, ms, mb, 100 * ms / mb);
        replayFromInstant(streams, events);
    }

    /**
     * (2b) A replay from an instant looks for the first sequence of each log dated from it: the time of the
     * {@code POST /replay} over the backlog's log, from an instant before every event (all of them are read: the
     * most it costs) and from one after them (none), each the median of 3, against a replay from a sequence (which
     * reads nothing) in the same run.
     */
    static void replayFromInstant(Streams streams, long events) throws Exception {
        String[] kinds = {
            "{\"sequences\":{\"" + PRODUCT + "\":0}}",
            "{\"from\":\"2000-01-01T00:00:00Z\"}",
            "{\"from\":\"" + java.time.Instant.now().plusSeconds(3600) + "\"}"
        };
        String[] names = {"from sequence 0", "from an instant before every event", "from an instant after them"};
        // a replay reads the log while the stream is paused: the figure is the search alone
        double[] medians = new double[kinds.length];
        streams.action(BACKLOG_ORG, "pause"); // a paused stream takes a replay and delivers nothing meanwhile
        for (int k = 0; k < kinds.length; k++) {
            List<Double> took = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                Streams.expect(streams.send("POST", streams.path(BACKLOG_ORG) + "/replay", kinds[k]));
                took.add((System.nanoTime() - t) / 1e6);
            }
            medians[k] = ExportBenchmark.median(took);
            System.out.printf(
                    "(2b) replay %s over a log of %,d events: POST answered in %.0f ms (median of 3; %s)%n",
                    names[k], events, medians[k], took);
        }
        System.out.printf(
                "(2b) replay from an instant before every event / from a sequence: %.1fx%n", medians[1] / medians[0]);
    }

    /** One arrival per batch, in sequence order (a batch delivered twice counts once). */
    static List<Arrival> deduplicated(List<Arrival> got) {
        Map<Long, Arrival> byFirst = new java.util.TreeMap<>();
        for (Arrival a : got) {
            byFirst.putIfAbsent(a.first(), a);
        }
        return new ArrayList<>(byFirst.values());
    }

    /** The recorded batches sent again, one at a time, by a plain client; events per second. */
    static double baseline(Receiver receiver, List<Arrival> batches) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(receiver.url(BASELINE_PATH));
        long events = 0;
        long start = System.nanoTime();
        for (Arrival a : batches) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(a.body()));
            a.headers().forEach(b::header);
            HttpResponse<Void> r = client.send(b.build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 204) {
                throw new IllegalStateException("the receiver answered " + r.statusCode());
            }
            events += a.last() - a.first() + 1;
        }
        return events / secondsSince(start);
    }

    // ------------------------------------------------------------------------------------------------------------
    // the receiver

    /** A batch as the receiver got it: from the path's organization, the webhook-id's sequences, when, and maybe the bytes. */
    record Arrival(String org, long first, long last, long nanos, byte[] body, Map<String, String> headers) {}

    /**
     * The webhook receiver: {@code POST /hook/<organization>}; reads the body, answers 204 at once, then notes the
     * sequences of the batch from its {@code webhook-id} ({@code …-<first>-<last>}). It verifies nothing.
     */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newFixedThreadPool(16);
        final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
        /** Per organization: the highest last sequence received. */
        final Map<String, AtomicLong> highest = new ConcurrentHashMap<>();

        volatile boolean keepBodies;

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            Receiver r = new Receiver(s);
            s.createContext("/hook/", r::handle);
            s.setExecutor(r.threads);
            s.start();
            return r;
        }

        String url(String org) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/" + org;
        }

        private void handle(HttpExchange ex) throws IOException {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            long at = System.nanoTime();
            ex.sendResponseHeaders(204, -1);
            ex.close();
            String path = ex.getRequestURI().getPath();
            String org = path.substring(path.lastIndexOf('/') + 1);
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            int dash = id.lastIndexOf('-');
            int before = id.lastIndexOf('-', dash - 1);
            long first = Long.parseLong(id.substring(before + 1, dash));
            long last = Long.parseLong(id.substring(dash + 1));
            Map<String, String> headers = null;
            if (keepBodies) {
                headers = new LinkedHashMap<>();
                for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "Content-Type")) {
                    headers.put(h, ex.getRequestHeaders().getFirst(h));
                }
            }
            arrivals.add(new Arrival(org, first, last, at, keepBodies ? body : null, headers));
            highest.computeIfAbsent(org, k -> new AtomicLong(-1)).accumulateAndGet(last, Math::max);
        }

        void reset(String org) {
            highest.remove(org);
        }

        List<Arrival> of(String org) {
            List<Arrival> out = new ArrayList<>();
            for (Arrival a : arrivals) {
                if (a.org().equals(org)) {
                    out.add(a);
                }
            }
            return out;
        }

        /** Waits until each organization's last sequence ({@code events - 1}) arrived; false after the timeout. */
        boolean awaitDelivered(Map<String, Long> events, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (Map.Entry<String, Long> e : events.entrySet()) {
                    AtomicLong h = highest.get(e.getKey());
                    if (h == null || h.get() < e.getValue() - 1) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    return true;
                }
                Thread.sleep(5);
            }
            return false;
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // ingest

    /** Posts batches of one organization each; counts what each organization was sent (every post answered 201). */
    static final class Ingest {
        final HttpClient http;
        final int port;
        final String token;
        final int batch;
        final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        Ingest(HttpClient http, int port, String token, int batch) {
            this.http = http;
            this.port = port;
            this.token = token;
            this.batch = batch;
        }

        /** One post of a batch for the organization; returns when it was answered 201 (System.nanoTime). */
        long post(String org) throws Exception {
            byte[] body = bodies.computeIfAbsent(org, o -> {
                try {
                    return body(o, batch);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/products/" + PRODUCT + "/events"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .timeout(java.time.Duration.ofSeconds(120))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            long at = System.nanoTime();
            if (r.statusCode() != 201) {
                throw new IllegalStateException("ingest answered " + r.statusCode());
            }
            counts.computeIfAbsent(org, k -> new AtomicLong()).addAndGet(batch);
            return at;
        }

        /** As fast as {@code clients} threads can, the organizations in turn, for a time; events per second. */
        double closedLoop(List<String> orgs, int clients, double seconds) throws Exception {
            AtomicLong next = new AtomicLong();
            AtomicLong events = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            AtomicLong last = new AtomicLong(start);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long done = post(orgs.get((int) (next.getAndIncrement() % orgs.size())));
                        events.addAndGet(batch);
                        last.accumulateAndGet(done, Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
            return events.get() / ((last.get() - start) / 1e9);
        }

        /** {@code events} events into one organization from {@code clients} threads; returns the events sent. */
        long count(String org, int events, int clients) throws Exception {
            AtomicLong left = new AtomicLong(events / batch);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        post(org);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
            return counts.get(org).get();
        }

        /**
         * {@code rate} events per second for a time, the organizations in turn, one thread per organization so that
         * each has one request in flight at a time: request k is due at {@code k × batch / rate} s and goes then (or
         * at once, when its organization's previous request was answered late). Notes when each request of each
         * organization was answered; returns the events sent.
         */
        double paced(List<String> orgs, double rate, double seconds, Map<String, List<Long>> acks) throws Exception {
            int n = orgs.size();
            double interval = batch / rate * 1e9; // between two requests, any organization
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<Long>> running = new ArrayList<>();
            for (int o = 0; o < n; o++) {
                int org = o;
                List<Long> answered = new ArrayList<>();
                acks.put(orgs.get(org), answered);
                running.add(pool.submit(() -> {
                    long sent = 0;
                    for (long k = 0; ; k++) {
                        long due = start + (long) ((k * n + org) * interval);
                        if (due >= end) {
                            return sent;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        answered.add(post(orgs.get(org)));
                        sent += batch;
                    }
                }));
            }
            long sent = 0;
            for (Future<Long> f : running) {
                sent += f.get();
            }
            pool.shutdown();
            return sent;
        }

        static byte[] body(String org, int size) throws IOException {
            List<Map<String, Object>> records = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("space_key", org);
                m.put("date", "2026-11-01T09:30:00Z");
                m.put("category", "Issue");
                m.put("event", "Update an issue");
                m.put("action", org + "-" + i + " was updated in " + org + " (stream benchmark)");
                m.put("operation_user_id", "u" + (i % 50));
                m.put("operation_user_name", "User " + (i % 50));
                m.put("operation_user_email", "user" + (i % 50) + "@bench.example");
                m.put("ip_address", "192.0.2." + (i % 250));
                m.put("user_agent", "Mozilla/5.0 (X11; Linux x86_64) Benchmark");
                records.add(m);
            }
            return JSON.writeValueAsBytes(records);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // streams over REST, as the operator acting for each organization

    static final class Streams {
        final HttpClient http;
        final int port;
        final Map<String, String> ids = new ConcurrentHashMap<>();

        Streams(HttpClient http, int port) {
            this.http = http;
            this.port = port;
        }

        /** Creates the organization's stream of its Apps log to the url (the webhook type may still be starting). */
        void create(String org, String url) throws Exception {
            String body = "{\"name\":\"benchmark\",\"destination\":{\"type\":\"webhook\",\"url\":\"" + url
                    + "\",\"secret\":\"" + SECRET + "\"},\"products\":[\"" + PRODUCT + "\"]}";
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                HttpResponse<String> r = send("POST", "/api/v1/orgs/" + org + "/streams", body);
                if (r.statusCode() == 201) {
                    ids.put(org, JSON.readTree(r.body()).get("id").asText());
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "creating the stream of " + org + " answered " + r.statusCode() + " " + r.body());
                }
                Thread.sleep(250);
            }
        }

        /**
         * The size of each organization's log as its stream sees it: the last sequence delivered, plus one, plus its
         * backlog. It counts the server's own records of the organization (Apps events in the category Audit log: its
         * plan, its streams' changes) besides what was ingested.
         */
        Map<String, Long> sizes(List<String> orgs) throws Exception {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String org : orgs) {
                JsonNode log = get(org).get("logs").get(0);
                out.put(
                        org,
                        log.get("delivered").asLong() + 1 + log.get("backlog").asLong());
            }
            return out;
        }

        JsonNode get(String org) throws Exception {
            return JSON.readTree(send("GET", path(org), null).body());
        }

        void action(String org, String action) throws Exception {
            expect(send("POST", path(org) + "/" + action, ""));
        }

        void replayFromStart(String org) throws Exception {
            expect(send("POST", path(org) + "/replay", "{\"sequences\":{\"" + PRODUCT + "\":0}}"));
        }

        private String path(String org) {
            return "/api/v1/orgs/" + org + "/streams/" + ids.get(org);
        }

        private static void expect(HttpResponse<String> r) {
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode() + " " + r.body());
            }
        }

        private HttpResponse<String> send(String method, String path, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json");
            b.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** The distribution as {@link IngestBenchmark} starts it, with loopback allowed to the streams (plain HTTP). */
    static Process start(Path dist, Path data, int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                dist.resolve("bin/auditlog").toString(),
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--deploy",
                data.resolve("deploy").toString());
        pb.environment().put("AUDITLOG_ADMIN_TOKEN", TOKEN);
        pb.environment().put("AUDITLOG_STREAMS_ALLOWED_NETWORKS", "127.0.0.0/8");
        // -Dbench.serverJavaOpts="-XX:StartFlightRecording=filename=/tmp/streams.jfr,settings=profile"
        String javaOpts = System.getProperty("bench.serverJavaOpts", "").trim();
        if (!javaOpts.isEmpty()) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("server.log").toFile());
        return pb.start();
    }

    static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }

    static String ms(long nanos) {
        return String.format("%.0f ms", nanos / 1e6);
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    static double maxOf(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
