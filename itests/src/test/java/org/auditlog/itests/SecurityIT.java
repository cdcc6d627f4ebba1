package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Findings of a security review, checked against the distribution started as an operator starts it: bundle
 * uploads that would stop or subvert the platform are refused (and the server keeps serving, also after a
 * restart); the data folder is its owner's only; export job ids say nothing about other organizations.
 */
public class SecurityIT {
    static final String TOKEN = "security-test-operator-token";
    static final String JAR = "application/java-archive";
    static final String BUNDLES = "/api/v1/admin/bundles";
    static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    static Path data;
    static Path log;
    static int port;
    static ServerProcess server;

    @BeforeClass
    public static void start() throws Exception {
        data = Files.createTempDirectory("auditlog-security");
        // as a data folder made by hand (or by an older version) might be: the server must close it itself
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        log = Files.createTempFile("auditlog-security", ".log");
        port = ServerOptions.freePort();
        server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy();
        server.api.awaitAdapter(TOKEN, "Apps");
        server.api.awaitAdapter(TOKEN, "Backlog");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void uploadsThatWouldStopOrSubvertThePlatformAreRefusedAndTheServerKeepsServing() throws Exception {
        Api api = server.api;
        Path deploy = data.resolve("deploy");
        List<String> before = listing(deploy);

        // the framework by its alias and by its own name, and a bundle of the feature file
        for (String name : List.of("system.bundle", "org.apache.felix.framework", "org.auditlog.api")) {
            Api.Reply r = api.post(BUNDLES, TOKEN, JAR, TestBundles.bundle(name, "99.0.0", null));
            assertRefused(r, 409, "platform_bundle", "Bundle-SymbolicName");
            assertEquals(200, api.get("/health", null).status());
        }
        // fragments attaching to the framework (an extension bundle) or to a platform bundle
        for (String host : List.of(
                "system.bundle; extension:=framework",
                "org.apache.felix.framework",
                "org.auditlog.api",
                "org.auditlog.rest")) {
            Api.Reply r = api.post(
                    BUNDLES,
                    TOKEN,
                    JAR,
                    TestBundles.bundleWithHeaders(
                            "org.auditlog.itests.fragment", "1.0.0", Map.of("Fragment-Host", host)));
            assertRefused(r, 409, "platform_bundle", "Fragment-Host");
        }
        // a manifest of a few megabytes compressed that inflates to a gigabyte: refused fast, never read whole
        byte[] bomb = TestBundles.manifestBomb(1L << 30);
        assertTrue("the bomb is small: " + bomb.length, bomb.length < 16 * 1024 * 1024);
        long t = System.nanoTime();
        Api.Reply r = api.post(BUNDLES, TOKEN, JAR, bomb);
        long millis = (System.nanoTime() - t) / 1_000_000;
        assertRefused(r, 400, "invalid_bundle", "META-INF/MANIFEST.MF");
        assertTrue("refused in " + millis + " ms", millis < 10_000);
        // a missing or invalid name
        assertRefused(
                api.post(BUNDLES, TOKEN, JAR, TestBundles.bundle("bad name!", "1.0.0", null)),
                400,
                "invalid_bundle",
                "Bundle-SymbolicName");

        assertEquals("nothing was written to deploy/", before, listing(deploy));
        assertEquals(200, api.get("/health", null).status());
        assertEquals(200, api.get(BUNDLES, TOKEN).status());

        // and the next start has HTTP like any other
        assertEquals(0, server.terminate());
        server = ServerProcess.start(data, port, TOKEN, log).awaitHealthy();
        assertEquals(200, server.api.get(BUNDLES, TOKEN).status());
        assertEquals(before, listing(deploy));
    }

    @Test
    public void theDataFolderAndEverythingTheServerMadeInItAreTheOwnersOnly() throws Exception {
        Api api = server.api;
        api.activeOrg(TOKEN, "PERM");
        String apps = api.ingestToken(TOKEN, "Apps", null);
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Apps/events",
                                apps,
                                "application/json",
                                Api.json(Api.record("PERM", last.atDay(3) + "T10:00:00Z", "permission test", "Ann")))
                        .status());
        String month = String.format("%04d%02d", last.getYear(), last.getMonthValue());
        assertEquals(
                200,
                api.get("/api/v1/orgs/PERM/archives/" + month + "/Apps", TOKEN).status());
        assertTrue(Files.isDirectory(data.resolve("exports/PERM")));

        assertOwnerOnly(data);
        if (Postgres.on()) {
            // the database is PostgreSQL's: no database files in the data folder
            assertFalse(Files.exists(data.resolve("db")));
            return;
        }
        List<Path> db;
        try (Stream<Path> s = Files.list(data.resolve("db"))) {
            db = s.toList();
        }
        assertTrue(db.size() > 2);
        for (Path p : db) {
            assertOwnerOnly(p);
        }
        List<String> open = new ArrayList<>();
        try (Stream<Path> s = Files.walk(data)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.exists(p) && !Files.isSymbolicLink(p)) {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                    perms.retainAll(GROUP_OR_OTHERS);
                    if (!perms.isEmpty()) {
                        open.add(data.relativize(p) + " " + perms);
                    }
                }
            }
        }
        assertEquals("readable by others under data/", List.of(), open);
    }

    @Test
    public void exportJobIdsAreNotSequentialAndAnotherOrganizationsIdIsAnswered404LikeAMadeUpOne() throws Exception {
        Api api = server.api;
        api.activeOrg(TOKEN, "IDSA");
        api.activeOrg(TOKEN, "IDSB");
        String a = memberToken(api, "IDSA");
        String b = memberToken(api, "IDSB");
        long first = export(api, a, "IDSA", "Apps");
        long second = export(api, a, "IDSA", "Backlog");
        long other = export(api, b, "IDSB", "Apps");
        for (long id : List.of(first, second, other)) {
            assertTrue("id " + id + " is a positive JSON-safe number", id > 0 && id < (1L << 53));
        }
        assertTrue("consecutive jobs got ids " + first + " and " + second, Math.abs(second - first) > 1);
        assertTrue("jobs of two organizations got ids " + second + " and " + other, Math.abs(other - second) > 1);

        Api.Reply foreign = api.get("/api/v1/orgs/IDSA/exports/" + other, a);
        long madeUp = other == 123_456_789L ? 123_456_788L : 123_456_789L;
        Api.Reply unknown = api.get("/api/v1/orgs/IDSA/exports/" + madeUp, a);
        assertEquals(foreign.toString(), 404, foreign.status());
        assertEquals(unknown.toString(), 404, unknown.status());
        assertEquals(unknown.json().get("error"), foreign.json().get("error"));
        assertEquals(
                unknown.json().get("detail").asText().replace(Long.toString(madeUp), "ID"),
                foreign.json().get("detail").asText().replace(Long.toString(other), "ID"));
        assertEquals(200, api.get("/api/v1/orgs/IDSB/exports/" + other, b).status());
        // the newest first, although ids are random
        JsonNode listed = api.get("/api/v1/orgs/IDSA/exports", a).json().get("exports");
        assertEquals(second, listed.get(0).get("id").asLong());
        assertEquals(first, listed.get(1).get("id").asLong());
    }

    private static String memberToken(Api api, String spaceKey) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens",
                TOKEN,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"" + spaceKey + "\",\"userId\":\"owner\"}");
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("token").asText();
    }

    private static long export(Api api, String token, String spaceKey, String product) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/orgs/" + spaceKey + "/exports",
                token,
                "application/json",
                "{\"product\":\"" + product + "\"}");
        assertEquals(r.toString(), 202, r.status());
        assertTrue(r.toString(), r.json().get("id").isTextual());
        return r.json().get("id").asLong();
    }

    private static void assertOwnerOnly(Path p) throws Exception {
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
        perms.retainAll(GROUP_OR_OTHERS);
        assertEquals(p + " is its owner's only", Set.of(), perms);
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(
                    new TreeSet<>(s.map(p -> p.getFileName().toString()).toList()));
        }
    }

    private static void assertRefused(Api.Reply r, int status, String error, String field) {
        assertEquals(r.toString(), status, r.status());
        assertEquals(r.toString(), error, r.json().get("error").asText());
        if (field != null) {
            assertNotEquals(r.toString(), null, r.json().get("field"));
            assertEquals(r.toString(), field, r.json().get("field").asText());
        }
    }
}
