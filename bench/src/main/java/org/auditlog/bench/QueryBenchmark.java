package org.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Pages of {@code GET /api/v1/orgs/{key}/events} over HTTP, for an organization of {@code bigEvents} events
 * (default 10,000,000) and one of 10,000, in the same store and the same run, with 1,000 other organizations of
 * 100 events each around them.
 *
 * <p>Setup: the distribution starts once to create the database and the organizations (a trial plan each, a
 * member token for the plan admin of the two measured ones), stops, and the events go in with JDBC: spread
 * over the 25 days before today, 2,000 users, 8 kinds of event, 4 products, with the user directory the server
 * keeps beside them. Then the server starts on that data, and each query shape is asked {@code WARMUP} times
 * and then {@code TIMES} times for each organization, one request at a time: p50 and p99 per shape and size,
 * and the ratio p99(big) / p99(10,000). Arguments: distribution folder, bigEvents, and optionally the data folder
 * of an earlier run (of this benchmark or {@link PageBenchmark}, the same store) to measure again without filling.
 *
 * <p>With {@code -Dbench.jdbcUrl=jdbc:postgresql://host/db} (an empty database) the server runs on PostgreSQL:
 * the rows go in with JDBC batches into the monthly partitions (made here, as the server would on demand), the
 * tables are analyzed as autovacuum would, and after the queries the oldest month is dropped as retention does
 * (count, detach concurrently, drop), timed.
 */
public final class QueryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String BIG = "BIG";
    static final String SMALL = "SMALL";
    static final int SMALL_EVENTS = 10_000;
    static final int OTHER_ORGS = 1000;
    static final int OTHER_EVENTS = 100;
    private static final int USERS = 2000;
    private static final int DAYS = 25;
    private static final int WARMUP = 20;
    private static final int TIMES = 200;
    private static final String[] PRODUCTS = {"Apps", "Backlog", "Cacoo", "Typetalk"};
    private static final String[][] KINDS = {
        {"Billing", "Change payment"},
        {"Member", "Add member"},
        {"Member", "Remove member"},
        {"Project", "Create project"},
        {"Project", "Delete project"},
        {"Security", "Sign in"},
        {"Security", "Sign out"},
        {"Space", "Change settings"}
    };

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int bigEvents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
        if (!Files.isExecutable(dist.resolve("bin/auditlog"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build it with mvn package first)");
        }
        // a third argument names the data folder of an earlier query or page benchmark to measure again
        // a third argument names a data folder: an earlier run's store, measured again; or a folder not there yet,
        // filled and kept for later runs (and for PageBenchmark)
        boolean named = args.length > 2 && args[2] != null && !args[2].isBlank();
        boolean reuse = named && Files.isDirectory(Path.of(args[2]).resolve("db"));
        Path data = named ? Path.of(args[2]).toAbsolutePath() : Files.createTempDirectory("auditlog-bench-query");
        Files.createDirectories(data);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Query benchmark: %,d events of %s, %,d of %s, %,d organizations of %,d; %d cores, %s, Java %s%n",
                bigEvents,
                BIG,
                SMALL_EVENTS,
                SMALL,
                OTHER_ORGS,
                OTHER_EVENTS,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"));
        System.out.println("data folder: " + data);

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant end = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, String> tokens = reuse ? new LinkedHashMap<>() : setUpStore(dist, data, port, http, end, bigEvents);

        Process p = ExportBenchmark.start(dist, data, port, "run");
        try {
            long started = System.nanoTime();
            IngestBenchmark.awaitHealthy(http, port);
            System.out.printf("server up on the filled store in %.1f s%n", (System.nanoTime() - started) / 1e9);
            awaitIndexed(data.resolve("server-run.log"), started);
            if (reuse) {
                tokens = newTokens(http, port);
            }
            String day = LocalDate.ofInstant(end.minus(5, ChronoUnit.DAYS), ZoneOffset.UTC)
                    .toString();
            Map<String, String> shapes = new LinkedHashMap<>();
            shapes.put("newest page", "limit=100");
            shapes.put("product", "limit=100&product=Backlog");
            shapes.put("page 2", "limit=100&cursor=@2");
            shapes.put("page 500", "limit=100&cursor=@500");
            shapes.put("user (id)", "limit=100&user=user0042");
            shapes.put("user (name)", "limit=100&user=" + enc("User 42"));
            shapes.put("user (email)", "limit=100&user=" + enc("user42@example.com"));
            shapes.put("category", "limit=100&category=Billing");
            shapes.put("category+event", "limit=100&category=Billing&event=" + enc("Change payment"));
            shapes.put("event", "limit=100&event=" + enc("Sign in"));
            shapes.put("one day", "limit=100&from=" + day + "&to=" + day);
            shapes.put("product+user", "limit=100&product=Backlog&user=user0042");
            shapes.put("product+category+day", "limit=100&product=Cacoo&category=Member&from=" + day + "&to=" + day);
            shapes.put("user nobody", "limit=100&user=nobody");
            shapes.put("category nothing", "limit=100&category=Nothing");
            // the search language (q): each term the issue names, at the page size of the API's default
            String rare = Long.toString(bigEvents / 2);
            shapes.put("q rare word", "limit=100&q=" + enc(rare));
            shapes.put("q common word", "limit=100&q=" + enc("payment"));
            shapes.put("q phrase", "limit=100&q=" + enc("\"remove member\""));
            shapes.put("q CIDR /28", "limit=100&q=" + enc("ip:203.0.113.16/28"));
            shapes.put("q address", "limit=100&q=" + enc("ip:203.0.113.42"));
            shapes.put("q negation", "limit=100&q=" + enc("-product:Apps"));
            shapes.put("q OR", "limit=100&q=" + enc("product:Apps product:Cacoo"));
            shapes.put("q range", "limit=100&q=" + enc("created:" + day + ".." + day));
            shapes.put("q word+actor", "limit=100&q=" + enc("payment actor:user0042"));
            shapes.put("q actor -word", "limit=100&q=" + enc("actor:user0042 -payment"));
            shapes.put("q word nowhere", "limit=100&q=" + enc("zyzzyva"));
            System.out.printf(
                    "%-22s %10s %10s %10s %10s %8s  %s%n",
                    "shape (page of 100)",
                    "p50 big",
                    "p99 big",
                    "p50 10k",
                    "p99 10k",
                    "p99 x",
                    "rows big / 10k (searchedBackTo)");
            for (Map.Entry<String, String> shape : shapes.entrySet()) {
                Timing big = time(http, port, BIG, tokens.get(BIG), shape.getValue());
                Timing small = time(http, port, SMALL, tokens.get(SMALL), shape.getValue());
                System.out.printf(
                        "%-22s %8.1fms %8.1fms %8.1fms %8.1fms %8.2f  %s / %s%n",
                        shape.getKey(),
                        big.p50,
                        big.p99,
                        small.p50,
                        small.p99,
                        big.p99 / small.p99,
                        big.rows,
                        small.rows);
            }
            // the counts: the histogram (30 days by day, the default) and the facets
            Map<String, String> counts = new LinkedHashMap<>();
            counts.put("histogram", "events/histogram?interval=day");
            counts.put("histogram product", "events/histogram?interval=day&q=" + enc("product:Backlog"));
            counts.put("histogram category", "events/histogram?interval=day&q=" + enc("category:Billing"));
            counts.put("histogram event", "events/histogram?interval=day&q=" + enc("event:\"Sign in\""));
            counts.put("histogram by hour", "events/histogram?interval=hour");
            counts.put("histogram -product", "events/histogram?interval=day&q=" + enc("-product:Apps"));
            counts.put("histogram actor", "events/histogram?interval=day&q=" + enc("actor:user0042"));
            counts.put("histogram rare word", "events/histogram?interval=day&q=" + enc(rare));
            counts.put("histogram word", "events/histogram?interval=day&q=" + enc("payment"));
            counts.put("facets", "events/facets");
            counts.put("facets product", "events/facets?q=" + enc("product:Backlog"));
            counts.put("facets actor", "events/facets?q=" + enc("actor:user0042"));
            counts.put("facets one day", "events/facets?q=" + enc("created:" + day));
            System.out.printf(
                    "%n%-22s %10s %10s %10s %10s %8s  %s%n",
                    "count (30 days)",
                    "p50 big",
                    "p99 big",
                    "p50 10k",
                    "p99 10k",
                    "p99 x",
                    "total big / 10k (complete)");
            for (Map.Entry<String, String> c : counts.entrySet()) {
                Timing big = timeCount(http, port, BIG, tokens.get(BIG), c.getValue());
                Timing small = timeCount(http, port, SMALL, tokens.get(SMALL), c.getValue());
                System.out.printf(
                        "%-22s %8.1fms %8.1fms %8.1fms %8.1fms %8.2f  %s / %s%n",
                        c.getKey(), big.p50, big.p99, small.p50, small.p99, big.p99 / small.p99, big.rows, small.rows);
            }
        } finally {
            ExportBenchmark.stop(p);
        }
        if (!postgresUrl().isEmpty()) {
            dropOldestMonth();
        }
        if (!named) {
            ExportBenchmark.deleteTree(data);
        }
    }

    private static long postgresSize() throws Exception {
        try (Connection c = DriverManager.getConnection(postgresUrl());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The PostgreSQL database of {@code -Dbench.jdbcUrl}, or empty for the embedded HSQLDB. */
    static String postgresUrl() {
        return System.getProperty("bench.jdbcUrl", "").strip();
    }

    /** Retention's statements for the oldest month's partition (Partitions.dropBefore), timed one by one. */
    static void dropOldestMonth() throws Exception {
        try (Connection c = DriverManager.getConnection(postgresUrl());
                Statement s = c.createStatement()) {
            String oldest;
            try (ResultSet rs =
                    s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                            + "WHERE i.inhparent = 'audit_event'::regclass ORDER BY c.relname LIMIT 1")) {
                rs.next();
                oldest = rs.getString(1);
            }
            long t0 = System.nanoTime();
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + oldest)) {
                rs.next();
                rows = rs.getLong(1);
            }
            long t1 = System.nanoTime();
            s.execute("ALTER TABLE audit_event DETACH PARTITION " + oldest + " CONCURRENTLY");
            long t2 = System.nanoTime();
            s.execute("DROP TABLE " + oldest);
            long t3 = System.nanoTime();
            System.out.printf(
                    "drop of the month %s (%,d rows): count %.2f s, detach concurrently %.2f s, drop %.2f s; "
                            + "%.2f s in all%n",
                    oldest, rows, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9);
        }
    }

    /** PostgreSQL: the monthly partitions of the span, made before the rows go in. */
    private static void partitions(Connection c, Instant start, Instant end) throws Exception {
        YearMonth first = YearMonth.from(start.atOffset(ZoneOffset.UTC));
        YearMonth last = YearMonth.from(end.atOffset(ZoneOffset.UTC));
        try (Statement s = c.createStatement()) {
            for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
                String table = String.format("audit_event_p%04d%02d", m.getYear(), m.getMonthValue());
                s.execute("CREATE TABLE IF NOT EXISTS " + table + " PARTITION OF audit_event FOR VALUES FROM ('"
                        + m.atDay(1) + " 00:00:00+00') TO ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')");
            }
        }
        c.commit();
    }

    /**
     * The store this benchmark and {@link PageBenchmark} measure: a setup server creates the organizations (a
     * trial plan and a member token for the owner of {@link #BIG} and {@link #SMALL}) and stops, then
     * {@link #fill} writes the events. Returns the two member tokens.
     */
    static Map<String, String> setUpStore(Path dist, Path data, int port, HttpClient http, Instant end, int bigEvents)
            throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        Process setup = ExportBenchmark.start(dist, data, port, "setup");
        try {
            IngestBenchmark.awaitHealthy(http, port);
            tokens.put(BIG, ExportBenchmark.memberToken(http, port, BIG));
            tokens.put(SMALL, ExportBenchmark.memberToken(http, port, SMALL));
        } finally {
            ExportBenchmark.stop(setup);
        }
        long t0 = System.nanoTime();
        fill(data, end, bigEvents);
        System.out.printf(
                "setup: %,d rows inserted with JDBC in %.1f s (database %.0f MiB)%n",
                (long) bigEvents + SMALL_EVENTS + (long) OTHER_ORGS * OTHER_EVENTS,
                (System.nanoTime() - t0) / 1e9,
                postgresUrl().isEmpty()
                        ? ExportBenchmark.folderSize(data.resolve("db")) / 1048576.0
                        : postgresSize() / 1048576.0);
        return tokens;
    }

    /** New member tokens for the owners of a store {@link #setUpStore} made in an earlier run (server running). */
    static Map<String, String> newTokens(HttpClient http, int port) throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(BIG, ExportBenchmark.newMemberToken(http, port, BIG));
        tokens.put(SMALL, ExportBenchmark.newMemberToken(http, port, SMALL));
        return tokens;
    }

    record Timing(double p50, double p99, String rows) {}

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Times one shape: {@code cursor=@n} stands for the cursor of page n, found first by paging. */
    private static Timing time(HttpClient http, int port, String org, String token, String query) throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/v1/orgs/" + org + "/events?";
        if (query.contains("cursor=@")) {
            int page = Integer.parseInt(query.substring(query.indexOf('@') + 1));
            String plain = query.substring(0, query.indexOf("&cursor="));
            String cursor = null;
            for (int i = 1; i < page; i++) {
                JsonNode body = get(http, base + plain + (cursor == null ? "" : "&cursor=" + cursor), token);
                if (body.get("nextCursor").isNull()) {
                    break;
                }
                cursor = body.get("nextCursor").asText();
            }
            query = plain + (cursor == null ? "" : "&cursor=" + cursor);
        }
        String url = base + query;
        JsonNode last = null;
        for (int i = 0; i < WARMUP; i++) {
            last = get(http, url, token);
        }
        double[] ms = new double[TIMES];
        for (int i = 0; i < TIMES; i++) {
            long t = System.nanoTime();
            last = get(http, url, token);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        String rows = last.get("events").size()
                + (last.has("searchedBackTo")
                        ? " (" + last.get("searchedBackTo").asText() + ")"
                        : "");
        return new Timing(ms[TIMES / 2], ms[(int) Math.ceil(TIMES * 0.99) - 1], rows);
    }

    /** Times a histogram or facets call, as {@link #time} does a page. */
    private static Timing timeCount(HttpClient http, int port, String org, String token, String path) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/orgs/" + org + "/" + path;
        JsonNode last = null;
        for (int i = 0; i < WARMUP; i++) {
            last = get(http, url, token);
        }
        double[] ms = new double[TIMES];
        for (int i = 0; i < TIMES; i++) {
            long t = System.nanoTime();
            last = get(http, url, token);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        String what;
        if (last.has("buckets")) {
            what = last.get("total").asLong()
                    + (last.get("complete").asBoolean()
                            ? ""
                            : " (from " + last.get("countedFrom").asText() + ")");
        } else {
            long n = 0;
            for (JsonNode v : last.get("products")) {
                n += v.get("count").asLong();
            }
            what = n
                    + (last.get("complete").asBoolean()
                            ? ""
                            : " (from " + last.get("countedFrom").asText() + ")");
        }
        return new Timing(ms[TIMES / 2], ms[(int) Math.ceil(TIMES * 0.99) - 1], what);
    }

    /**
     * Waits until the server has given the filled records their words and counts (its background backfill, as after
     * an upgrade): the records went in with JDBC, so the server indexes them at its first start. Prints how long it
     * took; an earlier run's store is indexed already.
     */
    static void awaitIndexed(Path log, long started) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.HOURS.toNanos(2);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            int at = text.indexOf("Search index backfill done");
            if (at >= 0) {
                String line = text.substring(at, Math.max(at, text.indexOf('\n', at)));
                System.out.printf(
                        "search index built in the background by %.1f s after the start: %s%n",
                        (System.nanoTime() - started) / 1e9, line.strip());
                return;
            }
            if (!text.contains("Search index backfill begins") && (System.nanoTime() - started) > 30e9) {
                System.out.println("search index: nothing to backfill");
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the search index backfill did not end within 2 hours; see " + log);
    }

    private static JsonNode get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The rows, with the server stopped: oldest first, as they would have arrived, the other organizations
     * interleaved with the big one; and the user directory's rows for every (id, name, email) used.
     */
    static void fill(Path data, Instant end, int bigEvents) throws Exception {
        Instant start = end.minus(DAYS, ChronoUnit.DAYS);
        long span = end.toEpochMilli() - start.toEpochMilli();
        Random random = new Random(42);
        List<String> orgs = new ArrayList<>();
        for (int i = 0; i < OTHER_ORGS; i++) {
            orgs.add(String.format("ORG%04d", i));
        }
        long others = (long) OTHER_ORGS * OTHER_EVENTS;
        long total = bigEvents + SMALL_EVENTS + others;
        Map<String, java.util.BitSet> used = new java.util.HashMap<>();
        boolean postgres = !postgresUrl().isEmpty();
        try (Connection c = postgres
                ? DriverManager.getConnection(
                        postgresUrl() + (postgresUrl().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true")
                : DriverManager.getConnection(ExportBenchmark.jdbcUrl(data), "SA", "")) {
            c.setAutoCommit(false);
            if (postgres) {
                partitions(c, start, end);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (id, space_key, product, "
                    + "event_date, category, event, action, operation_user_id, operation_user_name, "
                    + "operation_user_email, ip_address, user_agent, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                long id = 1L << 40;
                int inBatch = 0;
                long bigLeft = bigEvents;
                long smallLeft = SMALL_EVENTS;
                for (long n = 0; n < total; n++) {
                    // each row's organization, in proportion to what is left of each
                    long pick = (long) (random.nextDouble() * (total - n));
                    String org;
                    if (pick < bigLeft) {
                        org = BIG;
                        bigLeft--;
                    } else if (pick < bigLeft + smallLeft) {
                        org = SMALL;
                        smallLeft--;
                    } else {
                        org = orgs.get(random.nextInt(OTHER_ORGS));
                    }
                    int user = random.nextInt(USERS);
                    used.computeIfAbsent(org, k -> new java.util.BitSet(USERS)).set(user);
                    String[] kind = KINDS[random.nextInt(KINDS.length)];
                    ps.setLong(1, id++);
                    ps.setString(2, org);
                    ps.setString(3, PRODUCTS[random.nextInt(PRODUCTS.length)]);
                    ps.setObject(
                            4,
                            OffsetDateTime.ofInstant(
                                    Instant.ofEpochMilli(start.toEpochMilli() + n * span / total), ZoneOffset.UTC));
                    ps.setString(5, kind[0]);
                    ps.setString(6, kind[1]);
                    ps.setString(7, kind[1] + " by user" + user + " (" + n + ")");
                    ps.setString(8, String.format("user%04d", user));
                    ps.setString(9, "User " + user);
                    ps.setString(10, "user" + user + "@example.com");
                    ps.setString(11, "203.0.113." + user % 250);
                    ps.setString(12, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36");
                    ps.setString(13, "V1");
                    ps.addBatch();
                    if (++inBatch == 1000) {
                        ps.executeBatch();
                        c.commit();
                        inBatch = 0;
                    }
                    if (n % 1_000_000 == 999_999) {
                        System.out.printf("  %,d rows%n", n + 1);
                    }
                }
                if (inBatch > 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_user (space_key, user_id, user_name, " + "user_email) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<String, java.util.BitSet> e : used.entrySet()) {
                    for (int user = e.getValue().nextSetBit(0);
                            user >= 0;
                            user = e.getValue().nextSetBit(user + 1)) {
                        ps.setString(1, e.getKey());
                        ps.setString(2, String.format("user%04d", user));
                        ps.setString(3, "User " + user);
                        ps.setString(4, "user" + user + "@example.com");
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            }
            // the records went in past the server: its backfill gives them their words and counts at its next
            // start, as after an upgrade
            try (Statement s = c.createStatement()) {
                // the store is new: its backfill was done, and the server's own records have ids far above these
                s.executeUpdate("UPDATE search_backfill SET next_id = " + (1L << 40) + ", upto_id = "
                        + ((1L << 40) + total - 1) + " WHERE id = 1");
                c.commit();
            }
            try (Statement s = c.createStatement()) {
                if (postgres) {
                    c.setAutoCommit(true);
                    long t0 = System.nanoTime();
                    s.execute("ANALYZE audit_event");
                    s.execute("ANALYZE audit_user");
                    System.out.printf("  analyzed in %.1f s (as autovacuum would)%n", (System.nanoTime() - t0) / 1e9);
                } else {
                    s.execute("SHUTDOWN");
                }
            }
        }
    }
}
