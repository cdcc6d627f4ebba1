package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.Test;

/**
 * Paging through an organization of 20,000 events with each filter, alone and combined, while another client
 * keeps posting newer events to the same organization: the pages give exactly the records the same filter
 * gives in Java over what was posted, newest first, none twice, none skipped. A filter rare enough that the
 * work bound of a page cuts pages short goes on through {@code searchedBackTo} pages: the bound is set to 1,000
 * index entries here ({@code searchScanRows}; 10,000 by default), so that a rare event among 20,000 shows it as
 * one among 200,000 would with the default. The search at millions of rows is measured by the query benchmark.
 */
public class EventPagingIT {
    private static final String TOKEN = "event-paging-it-operator-token";
    private static final int EVENTS = 20_000;
    /** The work bound of a page, in index entries (the default is 10,000). */
    private static final int SCAN_ROWS = 1_000;

    private static final String ORG = "PAGING";
    private static final String[] PRODUCTS = {"Apps", "Backlog"};
    private static final String[][] KINDS = {
        {"Billing", "Change payment"},
        {"Member", "Add member"},
        {"Member", "Remove member"},
        {"Security", "Sign in"},
        {"Security", "Sign out"}
    };

    record Posted(
            long id,
            String product,
            Instant date,
            String category,
            String event,
            String userId,
            String name,
            String email) {}

    @Test
    public void everyFilterPagesThroughExactlyItsRecordsWhileNewOnesArrive() throws Exception {
        Path data = Files.createTempDirectory("auditlog-paging");
        Path log = Files.createTempFile("auditlog-paging", ".log");
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
            Map<String, String> ingest = new LinkedHashMap<>();
            for (String p : PRODUCTS) {
                ingest.put(p, api.ingestToken(TOKEN, p, null));
            }
            List<Posted> posted = new ArrayList<>();
            Random random = new Random(5);
            Instant start = Instant.parse("2026-10-01T00:00:00Z");
            for (int batch = 0; batch < EVENTS / 1000; batch++) {
                String product = PRODUCTS[batch % 2];
                List<Map<String, Object>> records = new ArrayList<>();
                List<Posted> pending = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    int u = random.nextInt(500);
                    String[] kind =
                            n % 2500 == 17 ? new String[] {"Rare", "Rare event"} : KINDS[random.nextInt(KINDS.length)];
                    // a week from 2026-10-01; neighbours overlap in time, and many share a second: then the id orders
                    // them
                    Instant date = start.plusSeconds(n * 30L + random.nextInt(600));
                    // user 7 was renamed halfway; users 8 and 9 carry the same name
                    String name = u == 7 && n > EVENTS / 2 ? "Renamed Seven" : u == 9 ? "User 8" : "User " + u;
                    Map<String, Object> r = Api.record(ORG, date.toString(), "event " + n, name);
                    r.put("category", kind[0]);
                    r.put("event", kind[1]);
                    r.put("operation_user_id", "u" + u);
                    r.put("operation_user_email", "user" + u + "@paging.example");
                    records.add(r);
                    pending.add(new Posted(
                            0, product, date, kind[0], kind[1], "u" + u, name, "user" + u + "@paging.example"));
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
                            p.product(),
                            p.date(),
                            p.category(),
                            p.event(),
                            p.userId(),
                            p.name(),
                            p.email()));
                }
            }
            posted.sort(Comparator.comparing(Posted::date)
                    .thenComparingLong(Posted::id)
                    .reversed());

            // newer events keep arriving while the pages are read
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger live = new AtomicInteger();
            Thread writer = new Thread(() -> {
                Instant next = Instant.parse("2026-12-01T00:00:00Z");
                try {
                    while (!stop.get()) {
                        List<Map<String, Object>> records = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            Map<String, Object> r = Api.record(ORG, next.toString(), "live", "User 8");
                            r.put("category", "Billing");
                            r.put("event", "Change payment");
                            r.put("operation_user_id", "u8");
                            records.add(r);
                            next = next.plusMillis(10);
                        }
                        if (api.post(
                                                "/api/v1/products/Apps/events",
                                                ingest.get("Apps"),
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
            try {
                check(api, posted, "", p -> true, 1000);
                check(api, posted, "product=Backlog", p -> p.product().equals("Backlog"), 1000);
                check(api, posted, "category=Member", p -> p.category().equals("Member"), 1000);
                check(api, posted, "event=" + enc("Sign out"), p -> p.event().equals("Sign out"), 500);
                check(
                        api,
                        posted,
                        "category=Billing&event=" + enc("Change payment"),
                        p -> p.category().equals("Billing") && p.event().equals("Change payment"),
                        250);
                check(api, posted, "user=u42", p -> p.userId().equals("u42"), 100);
                check(
                        api,
                        posted,
                        "user=" + enc("User 8"),
                        p -> p.name().equals("User 8") || p.userId().equals("User 8"),
                        100);
                check(api, posted, "user=" + enc("Renamed Seven"), p -> p.name().equals("Renamed Seven"), 50);
                check(
                        api,
                        posted,
                        "user=" + enc("user7@paging.example"),
                        p -> p.email().equals("user7@paging.example"),
                        77);
                Instant from = Instant.parse("2026-10-03T00:00:00Z");
                Instant to = Instant.parse("2026-10-05T00:00:00Z");
                check(
                        api,
                        posted,
                        "from=2026-10-03&to=2026-10-04",
                        p -> !p.date().isBefore(from) && p.date().isBefore(to),
                        1000);
                check(
                        api,
                        posted,
                        "product=Apps&user=u3&category=Security",
                        p -> p.product().equals("Apps")
                                && p.userId().equals("u3")
                                && p.category().equals("Security"),
                        10);
                int cut = check(api, posted, "category=Rare", p -> p.category().equals("Rare"), 10);
                assertTrue("a filter this rare has pages the work bound cut short: " + cut, cut > 0);
                check(api, posted, "user=nobody", p -> false, 100);
            } finally {
                stop.set(true);
                writer.join(60_000);
            }
            assertTrue("events kept arriving while the pages were read", live.get() > 0);
            assertEquals(0, server.terminate());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Pages through one filter; the records posted above that it gives must be exactly {@code expected}'s, in
     * order; others (the live ones, the server's own) are allowed between them, but nothing twice. Returns
     * how many pages said {@code searchedBackTo}.
     */
    private static int check(Api api, List<Posted> posted, String filter, Predicate<Posted> matches, int limit)
            throws Exception {
        Map<Long, Posted> byId = new java.util.HashMap<>();
        posted.forEach(p -> byId.put(p.id(), p));
        List<Long> expected = posted.stream().filter(matches).map(Posted::id).toList();
        List<Long> got = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        String cursor = null;
        int cut = 0;
        Instant previous = null;
        do {
            Api.Reply r = api.get(
                    "/api/v1/orgs/" + ORG + "/events?" + filter + (filter.isEmpty() ? "" : "&") + "limit=" + limit
                            + (cursor == null ? "" : "&cursor=" + cursor),
                    TOKEN);
            assertEquals(r.toString(), 200, r.status());
            JsonNode page = r.json();
            for (JsonNode e : page.get("events")) {
                long id = e.get("id").asLong();
                assertTrue(filter + ": record " + id + " given twice", seen.add(id));
                Instant date = Instant.parse(e.get("date").asText());
                assertTrue(filter + ": newest first", previous == null || !date.isAfter(previous));
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
        assertEquals(filter + ": " + expected.size() + " records expected", expected, got);
        return cut;
    }
}
