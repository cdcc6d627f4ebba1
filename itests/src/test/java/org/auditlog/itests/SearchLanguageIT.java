package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The search language over 60,000 events of one organization (with 6,000 of another organization, carrying the
 * same users, words and addresses, around it), through the REST API as a client reads it: every term alone,
 * combined, negated and repeated pages through exactly the records the same query selects in Java over what was
 * posted, newest first, none twice, none skipped, through the cursor, while another client keeps posting newer events
 * to the same organization; the older filter parameters still work beside {@code q}; the histogram and the facets
 * give the counts Java gives. The work bound of a page is 1,000 index entries here ({@code searchScanRows}; 10,000
 * by default), so that a rare term among 60,000 shows what it would among 600,000. The speed at 10,000,000 events
 * is measured by the query benchmark.
 */
public class SearchLanguageIT {
    private static final String TOKEN = "search-language-it-operator-token";
    private static final int EVENTS = 60_000;
    private static final int SCAN_ROWS = 1_000;
    private static final String ORG = "SEARCH";
    private static final String NOISE = "NOISE";
    private static final String[] PRODUCTS = {"Apps", "Backlog", "Cacoo", "Typetalk"};
    private static final String[][] KINDS = {
        {"Billing", "Change payment"},
        {"Member", "Add member"},
        {"Member", "Remove member"},
        {"Issue", "Delete an issue"},
        {"Security", "Sign in"},
        {"Security", "Sign out"}
    };
    /** Words of the actions, the first ones far more frequent than the last. */
    private static final String[] WORDS = {
        "the",
        "issue",
        "was",
        "deleted",
        "updated",
        "page",
        "wiki",
        "invited",
        "member",
        "settings",
        "changed",
        "project",
        "file",
        "diagram",
        "comment",
        "moved",
        "archived",
        "exported",
        "restored",
        "webhook"
    };

    record Posted(
            long id,
            String org,
            String product,
            Instant date,
            String category,
            String event,
            String action,
            String userId,
            String name,
            String email,
            String ip) {}

    /** A query in the language, and what it means, written apart from the server. */
    record Case(String q, Predicate<Posted> matches, int limit) {}

    @Test
    public void everyTermAloneCombinedNegatedAndRepeatedGivesExactlyItsRecordsAndCounts() throws Exception {
        Path data = Files.createTempDirectory("auditlog-search");
        Path log = Files.createTempFile("auditlog-search", ".log");
        Path config = data.resolve("test-config");
        Files.createDirectories(config);
        try (var files = Files.list(ServerOptions.distribution().resolve("config"))) {
            for (Path f : files.toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Files.writeString(
                config.resolve("org.auditlog.storage.cfg"),
                "\nsearchScanRows = " + SCAN_ROWS + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (ServerProcess server = ServerProcess.start(
                        data, ServerOptions.freePort(), TOKEN, log, "--config", config.toString())
                .awaitHealthy()) {
            Api api = server.api;
            api.activeOrg(TOKEN, ORG);
            api.activeOrg(TOKEN, NOISE);
            Map<String, String> ingest = new LinkedHashMap<>();
            for (String p : PRODUCTS) {
                ingest.put(p, api.ingestToken(TOKEN, p, null));
            }
            // the events of the last 20 days before today, oldest first; today's are the live writer's
            Instant end =
                    LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant start = end.minus(20, ChronoUnit.DAYS);
            List<Posted> posted = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> sent = new ArrayList<>();
            int batches = EVENTS / 1000 + EVENTS / 10_000;
            for (int b = 0; b < batches; b++) {
                int batch = b;
                sent.add(clients.submit(() -> {
                    post(api, ingest, batch, batch >= EVENTS / 1000 ? NOISE : ORG, start, posted);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            clients.shutdown();
            List<Posted> all = new ArrayList<>(posted);
            all.sort(Comparator.comparing(Posted::date)
                    .thenComparingLong(Posted::id)
                    .reversed());

            // newer events keep arriving while the pages are read
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger live = new AtomicInteger();
            Thread writer = new Thread(() -> {
                Instant next = end.plusSeconds(1);
                try {
                    while (!stop.get()) {
                        List<Map<String, Object>> records = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            Map<String, Object> r =
                                    Api.record(ORG, next.toString(), "the issue was deleted live", "User 8");
                            r.put("operation_user_id", "u8");
                            r.put("ip_address", "10.1.2.3");
                            records.add(r);
                            next = next.plusMillis(10);
                        }
                        if (api.post(
                                                "/api/v1/products/Backlog/events",
                                                ingest.get("Backlog"),
                                                "application/vnd.auditlog.v1+json",
                                                Api.json(records))
                                        .status()
                                == 201) {
                            live.addAndGet(records.size());
                        }
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            int cut = 0;
            try {
                for (Case c : cases(start)) {
                    cut += check(api, all, c.q(), c.matches(), c.limit());
                }
                // the older filters beside q: all must hold
                check(
                        api,
                        all,
                        "product=Backlog&user=u3&q=" + enc("-deleted"),
                        p -> isOrg(p)
                                && p.product().equals("Backlog")
                                && p.userId().equals("u3")
                                && !hasWord(p, "deleted"),
                        100);
            } finally {
                stop.set(true);
                writer.join(60_000);
            }
            assertTrue("events kept arriving while the pages were read", live.get() > 0);
            assertTrue("some rare terms had pages the work bound cut short: " + cut, cut > 0);

            // the counts of the fill's days (the live writer's are today's, after them)
            String range = " created:" + start.toString().substring(0, 10) + "..*" + " created:<" + end;
            for (Case c : List.of(
                    new Case("", p -> isOrg(p), 0),
                    new Case("product:Backlog", p -> isOrg(p) && p.product().equals("Backlog"), 0),
                    new Case(
                            "category:Security -event:\"Sign out\"",
                            p -> isOrg(p)
                                    && p.category().equals("Security")
                                    && !p.event().equals("Sign out"),
                            0),
                    new Case("actor:u42", p -> isOrg(p) && p.userId().equals("u42"), 0),
                    new Case("ip:10.7.0.0/16", p -> isOrg(p) && p.ip().startsWith("10.7."), 0),
                    new Case("archived", p -> isOrg(p) && hasWord(p, "archived"), 0))) {
                histogram(api, all, c.q() + range, c.matches(), "day");
                facets(api, all, c.q() + range, c.matches());
            }
            Instant day = start.plus(3, ChronoUnit.DAYS);
            String oneDay = " created:" + day.toString().substring(0, 10);
            histogram(
                    api,
                    all,
                    "product:Apps product:Cacoo" + oneDay,
                    p -> isOrg(p) && (p.product().equals("Apps") || p.product().equals("Cacoo")),
                    "hour");
            histogram(api, all, "\"was deleted\"" + oneDay, p -> isOrg(p) && hasPhrase(p, "was deleted"), "hour");
            assertEquals(0, server.terminate());
        }
    }

    static boolean isOrg(Posted p) {
        return p.org().equals(ORG);
    }

    static List<Case> cases(Instant start) {
        Instant from = start.plus(5, ChronoUnit.DAYS);
        Instant to = start.plus(7, ChronoUnit.DAYS).plus(6, ChronoUnit.HOURS);
        List<Case> out = new ArrayList<>();
        // each clause's walk, alone and beside others
        out.add(new Case("product:Backlog", p -> isOrg(p) && p.product().equals("Backlog"), 1000));
        out.add(new Case(
                "product:Apps product:Typetalk category:Billing",
                p -> isOrg(p)
                        && (p.product().equals("Apps") || p.product().equals("Typetalk"))
                        && p.category().equals("Billing"),
                1000));
        out.add(new Case(
                "-product:Apps category:Member -event:\"Add member\"",
                p -> isOrg(p)
                        && !p.product().equals("Apps")
                        && p.category().equals("Member")
                        && !p.event().equals("Add member"),
                1000));
        out.add(new Case(
                "event:\"Delete an issue\" -actor:u3",
                p -> isOrg(p)
                        && p.event().equals("Delete an issue")
                        && !p.userId().equals("u3"),
                1000));
        out.add(new Case("actor:u42", p -> isOrg(p) && p.userId().equals("u42"), 200));
        out.add(new Case("actor:\"User 8\"", p -> isOrg(p) && p.name().equals("User 8"), 200));
        out.add(new Case(
                "actor:u5 actor:user6@search.example",
                p -> isOrg(p) && (p.userId().equals("u5") || p.email().equals("user6@search.example")),
                200));
        out.add(new Case("ip:10.7.3.9", p -> isOrg(p) && p.ip().equals("10.7.3.9"), 100));
        out.add(new Case("ip:10.7.3.0/24", p -> isOrg(p) && p.ip().startsWith("10.7.3."), 200));
        out.add(new Case(
                "ip:2001:db8:2::/48 product:Cacoo",
                p -> isOrg(p) && p.ip().startsWith("2001:db8:2:") && p.product().equals("Cacoo"),
                200));
        out.add(new Case(
                "ip:10.5.0.0/16 -ip:10.5.3.0/24",
                p -> isOrg(p) && p.ip().startsWith("10.5.") && !p.ip().startsWith("10.5.3."),
                1000));
        out.add(new Case("webhook", p -> isOrg(p) && hasWord(p, "webhook"), 200));
        out.add(new Case("RESTORED exported", p -> isOrg(p) && hasWord(p, "restored") && hasWord(p, "exported"), 100));
        out.add(new Case("\"was deleted\"", p -> isOrg(p) && hasPhrase(p, "was deleted"), 1000));
        out.add(new Case("BLG-4242", p -> isOrg(p) && hasPhrase(p, "blg 4242"), 20));
        out.add(new Case(
                "-the product:Typetalk",
                p -> isOrg(p) && !hasWord(p, "the") && p.product().equals("Typetalk"),
                1000));
        out.add(new Case(
                "created:" + from + ".." + to + " diagram",
                p -> isOrg(p) && !p.date().isBefore(from) && !p.date().isAfter(to) && hasWord(p, "diagram"),
                500));
        out.add(new Case(
                "created:>=" + from.toString().substring(0, 10) + " created:<"
                        + to.toString().substring(0, 10) + " category:Billing",
                p -> isOrg(p)
                        && !p.date().isBefore(from.truncatedTo(ChronoUnit.DAYS))
                        && p.date().isBefore(to.truncatedTo(ChronoUnit.DAYS))
                        && p.category().equals("Billing"),
                500));
        out.add(new Case("actor:nobody", p -> false, 100));
        out.add(new Case("zyzzyva", p -> false, 100));
        return out;
    }

    /** One batch of 1,000 records of one organization and product, posted; what was posted noted with its ids. */
    static void post(Api api, Map<String, String> ingest, int batch, String org, Instant start, List<Posted> posted)
            throws Exception {
        Random random = new Random(batch);
        String product = PRODUCTS[batch % PRODUCTS.length];
        List<Map<String, Object>> records = new ArrayList<>();
        List<Posted> pending = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = batch * 1000 + i;
            int u = (int) Math.min(299, Math.abs(random.nextGaussian()) * 60);
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            Instant date = start.plusMillis((long) (random.nextDouble() * 20 * 24 * 3600 * 1000));
            StringBuilder action = new StringBuilder();
            int words = 2 + random.nextInt(6);
            for (int w = 0; w < words; w++) {
                int k = (int) Math.min(WORDS.length - 1, Math.abs(random.nextGaussian()) * 5);
                action.append(w == 0 ? "" : " ").append(random.nextInt(10) == 0 ? WORDS[k].toUpperCase() : WORDS[k]);
            }
            action.append(" BLG-").append(n % 25_000);
            String ip = random.nextInt(5) == 0
                    ? "2001:db8:" + random.nextInt(4) + "::" + Integer.toHexString(random.nextInt(200))
                    : "10." + (5 + random.nextInt(4)) + "." + random.nextInt(8) + "." + random.nextInt(20);
            String name = u == 9 ? "User 8" : "User " + u;
            Map<String, Object> r = Api.record(org, date.toString(), action.toString(), name);
            r.put("category", kind[0]);
            r.put("event", kind[1]);
            r.put("operation_user_id", "u" + u);
            r.put("operation_user_email", "user" + u + "@search.example");
            r.put("ip_address", ip);
            records.add(r);
            pending.add(new Posted(
                    0,
                    org,
                    product,
                    date.truncatedTo(ChronoUnit.MILLIS),
                    kind[0],
                    kind[1],
                    action.toString(),
                    "u" + u,
                    name,
                    "user" + u + "@search.example",
                    ip));
        }
        Api.Reply reply = api.post(
                "/api/v1/products/" + product + "/events",
                ingest.get(product),
                "application/vnd.auditlog.v1+json",
                Api.json(records));
        assertEquals(reply.toString(), 201, reply.status());
        JsonNode ids = reply.json().get("ids");
        for (int i = 0; i < pending.size(); i++) {
            Posted p = pending.get(i);
            posted.add(new Posted(
                    ids.get(i).asLong(),
                    p.org(),
                    p.product(),
                    p.date(),
                    p.category(),
                    p.event(),
                    p.action(),
                    p.userId(),
                    p.name(),
                    p.email(),
                    p.ip()));
        }
    }

    static boolean hasWord(Posted p, String word) {
        return hasPhrase(p, word);
    }

    /** Whole words of the action, in order, any case: the phrase's words apart by anything but letters and digits. */
    static boolean hasPhrase(Posted p, String phrase) {
        String[] words = phrase.toLowerCase().split("[^a-z0-9]+");
        return Pattern.compile("(?<![a-z0-9])" + String.join("[^a-z0-9]+", words) + "(?![a-z0-9])")
                .matcher(p.action().toLowerCase())
                .find();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Pages through one query; the records posted above that it gives must be exactly {@code expected}'s, in order;
     * others (the live ones, the server's own) are allowed between them, but nothing twice, and nothing of another
     * organization. Returns how many pages said {@code searchedBackTo}.
     */
    private static int check(Api api, List<Posted> posted, String query, Predicate<Posted> matches, int limit)
            throws Exception {
        String params = query.startsWith("product=") ? query : "q=" + enc(query);
        Map<Long, Posted> byId = new HashMap<>();
        posted.forEach(p -> byId.put(p.id(), p));
        List<Long> expected = posted.stream().filter(matches).map(Posted::id).toList();
        List<Long> got = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        String cursor = null;
        int cut = 0;
        Instant previous = null;
        do {
            Api.Reply r = api.get(
                    "/api/v1/orgs/" + ORG + "/events?" + params + "&limit=" + limit
                            + (cursor == null ? "" : "&cursor=" + cursor),
                    TOKEN);
            assertEquals(r.toString(), 200, r.status());
            JsonNode page = r.json();
            for (JsonNode e : page.get("events")) {
                long id = e.get("id").asLong();
                assertTrue(query + ": record " + id + " given twice", seen.add(id));
                assertEquals(ORG, e.get("space_key").asText());
                Instant date = Instant.parse(e.get("date").asText());
                assertTrue(query + ": newest first", previous == null || !date.isAfter(previous));
                previous = date;
                if (byId.containsKey(id)) {
                    got.add(id);
                }
            }
            if (page.has("searchedBackTo")) {
                cut++;
                assertTrue(page.get("events").size() < limit);
            }
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
        } while (cursor != null);
        assertEquals(query + ": " + expected.size() + " records expected", expected, got);
        return cut;
    }

    private static void histogram(Api api, List<Posted> posted, String q, Predicate<Posted> matches, String interval)
            throws Exception {
        Api.Reply r = api.get(
                "/api/v1/orgs/" + ORG + "/events/histogram?interval=" + interval + "&q=" + enc(q.strip()), TOKEN);
        assertEquals(r.toString(), 200, r.status());
        JsonNode h = r.json();
        ChronoUnit unit = interval.equals("day") ? ChronoUnit.DAYS : ChronoUnit.HOURS;
        Map<Instant, Long> want = new HashMap<>();
        posted.stream()
                .filter(matches)
                .filter(p -> inRange(h, p))
                .forEach(p -> want.merge(p.date().truncatedTo(unit), 1L, Long::sum));
        long total = 0;
        for (JsonNode b : h.get("buckets")) {
            Instant start = Instant.parse(b.get("start").asText());
            if (b.get("count").isNull()) {
                assertFalse(
                        q + ": only an incomplete count leaves buckets out",
                        h.get("complete").asBoolean());
                continue;
            }
            assertEquals(
                    q + " " + start,
                    (long) want.getOrDefault(start, 0L),
                    b.get("count").asLong());
            total += b.get("count").asLong();
        }
        assertTrue(q + " is counted whole", h.get("complete").asBoolean());
        assertEquals(q, want.values().stream().mapToLong(Long::longValue).sum(), total);
    }

    private static boolean inRange(JsonNode answer, Posted p) {
        return !p.date().isBefore(Instant.parse(answer.get("from").asText()))
                && p.date().isBefore(Instant.parse(answer.get("to").asText()));
    }

    private static void facets(Api api, List<Posted> posted, String q, Predicate<Posted> matches) throws Exception {
        Api.Reply r = api.get("/api/v1/orgs/" + ORG + "/events/facets?q=" + enc(q.strip()), TOKEN);
        assertEquals(r.toString(), 200, r.status());
        JsonNode f = r.json();
        assertTrue(q + " is counted whole", f.get("complete").asBoolean());
        List<Posted> matching =
                posted.stream().filter(matches).filter(p -> inRange(f, p)).toList();
        assertEquals(q + " actors", top(matching, Posted::userId), values(f.get("actors")));
        assertEquals(q + " events", top(matching, Posted::event), values(f.get("events")));
        assertEquals(q + " products", top(matching, Posted::product), values(f.get("products")));
        assertEquals(q + " addresses", top(matching, Posted::ip), values(f.get("addresses")));
    }

    static List<String> top(List<Posted> records, Function<Posted, String> value) {
        Map<String, Long> counts = new HashMap<>();
        records.forEach(p -> counts.merge(value.apply(p), 1L, Long::sum));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
    }

    static List<String> values(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.get("value").asText() + "=" + v.get("count").asLong()));
        return out;
    }
}
