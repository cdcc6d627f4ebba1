package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The feature file installs into a stock Apache Karaf 4.4 and the server works there: {@code feature:install
 * auditlog} (as a boot feature) on a fresh Karaf, the feature file and every bundle it names resolved offline
 * from a copy of the distribution's {@code system/} folder, then an event ingested and read back over HTTP.
 * <p>
 * Karaf's own feature {@code scr} is resolved from a folder the build fills through Maven (a stock Karaf
 * downloads it on first use), without its two Karaf add-on bundles (DS shell state and JMX), which Maven cannot
 * fetch and which the server does not use. The one other change to Karaf's defaults besides ports and folders:
 * the system bundle also exports {@code java.nio.file.spi}, which commons-io 2.20 imports and Karaf 4.4.6's
 * {@code etc/jre.properties} does not list (see docs/karaf.md).
 */
public class KarafIT {
    static final String TOKEN = "karaf-test-operator-token-0123456789";
    static final String FEATURE = "auditlog";
    /**
     * Karaf's layout with the message, thread and bundle name escaped and stack traces tab-led: the line of
     * {@code etc/org.ops4j.pax.logging.cfg} that docs/karaf.md gives.
     */
    static final String PATTERN = "%d{ISO8601} | %-5p | %oneline{%-16t} | %-32c{1} | %X{bundle.id} - "
            + "%oneline{%X{bundle.name}} - %X{bundle.version} | %oneline{%m}{10000}%n%tabex";
    /** What a record line of Karaf's log starts with. */
    static final String FORGED =
            "2026-12-01T10:00:00,000 | INFO  | main             | Forged                           "
                    + "| 1 - org.auditlog.forged - 1.0.0 | FORGED";

    @Test
    public void featureInstallAuditlogServesTheApiInKaraf() throws Exception {
        long started = System.nanoTime();
        Path instance = Files.createTempDirectory(KarafInstance.instancesRoot(), "run-");
        // a copy of its own: a rebuild of the launcher while Karaf runs cannot change what Karaf resolves
        Path repository = instance.resolve("auditlog-repository");
        KarafInstance.copyTree(ServerOptions.distribution().resolve("system"), repository);
        Path featureFile = featureFile(repository);
        String version = featureFile.getParent().getFileName().toString();
        String featuresUrl = "mvn:org.auditlog/auditlog-features/" + version + "/xml/features";
        Path data = Files.createDirectories(instance.resolve("auditlog-data"));
        int port = ServerOptions.freePort();
        Api api = new Api(port);
        int smtpPort = ServerOptions.freePort();
        com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
                new com.icegreen.greenmail.util.ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        smtp.start();

        KarafInstance karaf = KarafInstance.builder(instance)
                .repository(repository, "auditlog")
                .repository(
                        KarafInstance.requiredFolder("it.karaf.scr.repository", "the bundles of Karaf's feature scr"),
                        "karaf.scr")
                .httpPort(port)
                .systemProperty("auditlog.data", data.toString())
                .exportJdkPackage("java.nio.file.spi")
                .bootFeature(featuresUrl, FEATURE)
                // one record per line (docs/karaf.md): the layout's fragment beside Karaf's logging, and its pattern
                .startupBundle(repository, "org.auditlog", "org.auditlog.logging", version, "pax-logging-log4j2")
                .etcLine("org.ops4j.pax.logging.cfg", "log4j2.pattern", PATTERN)
                // Karaf's DS shell/JMX add-ons in its feature scr: Maven cannot fetch them (see itests/pom.xml)
                .blacklistBundle("mvn:org.apache.karaf.scr/org.apache.karaf.scr.management/" + karafVersion())
                .blacklistBundle("mvn:org.apache.karaf.scr/org.apache.karaf.scr.state/" + karafVersion())
                .environment("AUDITLOG_ADMIN_TOKEN", TOKEN)
                // the distribution's mail and export settings, unchanged: they read the environment
                .etcFile(ServerOptions.distribution().resolve("config/org.auditlog.mail.cfg"))
                .etcFile(ServerOptions.distribution().resolve("config/org.auditlog.export.cfg"))
                .etcFile(ServerOptions.distribution().resolve("config/org.auditlog.storage.cfg"))
                .environment("AUDITLOG_SMTP_HOST", "127.0.0.1")
                .environment("AUDITLOG_SMTP_PORT", Integer.toString(smtpPort))
                .environment("AUDITLOG_SMTP_TLS", "none")
                .environment("AUDITLOG_MAIL_FROM", "karaf@example.test")
                .environment("AUDITLOG_BASE_URL", "https://karaf.example.test")
                .environment("AUDITLOG_JDBC_URL", Postgres.on() ? Postgres.urlFor(data) : "")
                .start();
        boolean passed = false;
        try {
            karaf.awaitHealthy(api, Duration.ofSeconds(90));
            long healthy = System.nanoTime();
            checkBundles(api.get("/health", TOKEN).json());
            // the pages come with the feature too: the sign-in page at /, the settings page of the mails
            Api.Reply signIn = api.get("/", null);
            assertEquals("sign-in page: " + signIn, 200, signIn.status());
            assertTrue(signIn.body().contains("id=\"sign-in\""));
            assertEquals(200, api.get("/orgs/ACME/settings/audit-log", null).status());

            String ingest = api.ingestToken(TOKEN, "Apps", null);
            api.activeOrg(TOKEN, "ACME");
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("space_key", "ACME");
            event.put("date", "2026-11-01T00:00:00Z");
            event.put("category", "Member");
            event.put("event", "Invite a member");
            event.put("action", "bob@acme.example was invited (Karaf)");
            event.put("operation_user_name", "Ann");
            Api.Reply posted = api.post("/api/v1/products/Apps/events", ingest, "application/json", Api.json(event));
            assertEquals("ingest: " + posted, 201, posted.status());
            assertEquals(1, posted.json().get("count").asInt());
            String id = posted.json().get("ids").get(0).asText();

            // the organization's own records (its plan, its owner) were made by the System user, not Ann
            Api.Reply read = api.get("/api/v1/orgs/ACME/events?user=Ann", TOKEN);
            assertEquals("query: " + read, 200, read.status());
            JsonNode events = read.json().get("events");
            assertEquals("events of ACME: " + read, 1, events.size());
            JsonNode e = events.get(0);
            assertEquals(id, e.get("id").asText());
            assertEquals("ACME", e.get("space_key").asText());
            assertEquals("Apps", e.get("product").asText());
            assertEquals("2026-11-01T00:00:00.000Z", e.get("date").asText());
            assertEquals("Member", e.get("category").asText());
            assertEquals("Invite a member", e.get("event").asText());
            assertEquals("bob@acme.example was invited (Karaf)", e.get("action").asText());
            assertEquals("Ann", e.get("operation_user_name").asText());
            assertEquals("V1", e.get("version").asText());
            // auditlog.data from etc/system.properties reached the store; or, in the suite's PostgreSQL run, the
            // environment's database did (and the store made nothing under the data folder)
            assertEquals("database under " + data, !Postgres.on(), Files.isDirectory(data.resolve("db")));

            // an export is mailed through javax.mail inside Karaf, configured from the environment
            String owner = api.post(
                            "/api/v1/admin/tokens",
                            TOKEN,
                            "application/json",
                            "{\"kind\":\"member\",\"spaceKey\":\"ACME\",\"userId\":\"owner\"}")
                    .json()
                    .get("token")
                    .asText();
            Api.Reply asked =
                    api.post("/api/v1/orgs/ACME/exports", owner, "application/json", "{\"product\":\"Apps\"}");
            assertEquals("export: " + asked, 202, asked.status());
            assertTrue("no mail from Karaf", smtp.waitForIncomingEmail(60_000, 1));
            javax.mail.internet.MimeMessage mail = smtp.getReceivedMessages()[0];
            assertTrue(
                    mail.getFrom()[0].toString(), mail.getFrom()[0].toString().contains("karaf@example.test"));
            assertEquals("owner@acme.example", mail.getAllRecipients()[0].toString());
            assertTrue(
                    MailIT.parts(mail).get("text/plain"),
                    MailIT.parts(mail)
                            .get("text/plain")
                            .contains("https://karaf.example.test/orgs/ACME/settings/audit-log?download=dl_"));

            oneRecordPerLine(api, ingest, karaf.log());

            System.out.printf(
                    "Karaf: /health 200 after %d ms, test done after %d ms%n",
                    (healthy - started) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
            passed = true;
        } catch (AssertionError | Exception failure) {
            throw new AssertionError(failure.getMessage() + karaf.diagnostics(40), failure);
        } finally {
            karaf.close();
            smtp.stop();
            if (passed) {
                KarafInstance.delete(instance);
            }
        }
    }

    /**
     * Input cannot forge a line of Karaf's log: a refused JSON field name with CR LF, and a product path segment
     * with U+2028 (which Karaf's own {@code %encode{…}{CRLF}} leaves as it is), are logged escaped, within their
     * record.
     */
    private static void oneRecordPerLine(Api api, String ingest, Path log) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/products/Apps/events",
                ingest,
                "application/json",
                "{\"space_key\":\"ACME\",\"event\":\"Invite a member\",\"field\\r\\n" + FORGED + " name\":1}");
        assertEquals(r.toString(), 400, r.status());
        r = api.post(
                "/api/v1/products/" + LogInjectionIT.encoded("Apps\u2028" + FORGED + " path") + "/events",
                ingest,
                "application/json",
                "{}");
        assertTrue(r.toString(), r.status() == 404 || r.status() == 403);
        DistributionIT.awaitTrue("both logged", () -> {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            return text.contains(" name") && text.contains(" path");
        });
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            assertTrue("a forged line in Karaf's log:\n" + line, !line.startsWith(FORGED));
            assertTrue("a line break inside a record:\n" + line, !line.contains("\u00e2\u0080\u00a8" + FORGED));
        }
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertTrue(text, text.contains("field\\r\\n" + FORGED + " name"));
        assertTrue(text, text.contains("Apps\\u2028" + FORGED + " path"));
    }

    /**
     * Every Auditlog bundle of the feature is active and the layout's fragment is attached, and the container's
     * runtime served them: one SCR, one ConfigAdmin, one FileInstall, one Pax Logging (Karaf's), and none of the
     * launcher's own runtime (the SPI Fly extension).
     */
    private static void checkBundles(JsonNode health) throws Exception {
        List<String> expected = new ArrayList<>();
        for (org.auditlog.launcher.Features.BundleRef b :
                org.auditlog.launcher.Features.read(ServerOptions.featureFile()).bundles("auditlog")) {
            if (b.location().startsWith("mvn:org.auditlog/")) {
                expected.add(b.location().split("/")[1]);
            }
        }
        List<String> auditlog = new ArrayList<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (JsonNode b : health.get("bundles")) {
            String name = b.get("symbolicName").asText();
            count.merge(name, 1, Integer::sum);
            if (name.equals("org.auditlog.logging")) {
                // the layout's fragment, from etc/startup.properties: attached to Karaf's logging backend
                assertEquals(name + " state", "RESOLVED", b.get("state").asText());
            } else if (name.startsWith("org.auditlog.")) {
                assertEquals(name + " state", "ACTIVE", b.get("state").asText());
                auditlog.add(name);
            }
        }
        java.util.Collections.sort(expected);
        java.util.Collections.sort(auditlog);
        assertEquals("Auditlog bundles: those of the feature auditlog", expected, auditlog);
        for (String product : List.of("apps", "backlog", "cacoo", "typetalk")) {
            assertTrue("adapter " + product + " installed", auditlog.contains("org.auditlog.product." + product));
        }
        assertTrue("stream destination webhook installed", auditlog.contains("org.auditlog.stream.webhook"));
        assertTrue("stream destination syslog installed", auditlog.contains("org.auditlog.stream.syslog"));
        assertTrue("stream destination splunk-hec installed", auditlog.contains("org.auditlog.stream.splunk"));
        assertTrue("stream destination s3 installed", auditlog.contains("org.auditlog.stream.s3"));
        for (String one : List.of(
                "org.apache.felix.scr",
                "org.apache.felix.configadmin",
                "org.apache.felix.fileinstall",
                "org.apache.felix.http.jetty12",
                "org.glassfish.jersey.inject.jersey-hk2",
                "org.ops4j.pax.logging.pax-logging-api",
                "org.auditlog.logging")) {
            assertEquals("bundles named " + one, Integer.valueOf(1), count.get(one));
        }
        for (String none :
                List.of("slf4j.simple", "slf4j.api", "org.apache.aries.spifly.dynamic.framework.extension")) {
            assertEquals("bundles named " + none, null, count.get(none));
        }
    }

    private static String karafVersion() {
        return System.getProperty("it.karaf.version", "4.4.6");
    }

    private static Path featureFile(Path repository) throws IOException {
        try (var files = Files.walk(repository.resolve("org/auditlog/auditlog-features"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-features.xml"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no feature file in " + repository + "; run mvn package first"));
        }
    }
}
