package org.auditlog.tools.configdocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on a small project: one bundle with a metatype, its .cfg, another component's .cfg, the page. */
class ConfigDocsTest {
    static final String PAGE = """
            # Configuration

            Hand-written intro.

            %s
            old generated text
            %s

            Hand-written outro.
            """.formatted(ConfigurationPage.BEGIN, ConfigurationPage.END);

    /** The pom of a bundle: a child of auditlog-bundles. */
    static final String BUNDLE_POM =
            "<project><parent><groupId>org.auditlog</groupId><artifactId>auditlog-bundles</artifactId></parent></project>";

    @TempDir
    Path root;

    @BeforeEach
    void project() throws IOException {
        Path bundle = root.resolve("bundles/mail");
        Files.createDirectories(bundle.resolve("target/classes/META-INF"));
        Files.createDirectories(bundle.resolve("target/classes/OSGI-INF/metatype"));
        Files.writeString(bundle.resolve("pom.xml"), BUNDLE_POM);
        Files.writeString(
                bundle.resolve("target/classes/META-INF/MANIFEST.MF"),
                "Manifest-Version: 1.0\nBundle-SymbolicName: org.example.mailer\n");
        Files.writeString(bundle.resolve("target/classes/OSGI-INF/metatype/Mail.xml"), MetatypeTest.MAIL);
        Files.createDirectories(root.resolve("config"));
        Files.writeString(root.resolve("config/org.example.mail.cfg"), "smtpPort = $[env:SMTP_PORT;default=25]\n");
        Files.writeString(root.resolve("config/org.ops4j.pax.logging.cfg"), "log4j2.rootLogger.level = INFO\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/configuration.md"), PAGE);
    }

    @Test
    void writesThePageAndTheCfgFromTheMetatypeThenFindsThemUpToDate() throws IOException {
        ConfigDocs.run("write", root);

        String page = Files.readString(root.resolve("docs/configuration.md"));
        assertTrue(
                page.startsWith("# Configuration\n\nHand-written intro.\n\n" + ConfigurationPage.BEGIN + "\n"), page);
        assertTrue(page.endsWith(ConfigurationPage.END + "\n\nHand-written outro.\n"), page);
        assertTrue(!page.contains("old generated text"), page);
        assertTrue(
                page.contains("### `org.example.mail`: Example mail\n\nHow mail leaves. Bundle `org.example.mailer` "
                        + "(`bundles/mail`), file `config/org.example.mail.cfg`."),
                page);
        assertTrue(
                page.contains("| `smtpPort` | SMTP port | integer | `25` | 1-65535 | `$[env:SMTP_PORT;default=25]` "
                        + "| SMTP server port. |"),
                page);
        assertTrue(
                page.contains(
                        "| `.password` | Password | password | *(empty)* |  |  | SMTP password &lt;secret&gt;. |"),
                page);
        assertTrue(page.contains("| `tls` | TLS | string | `auto` | `auto`: STARTTLS when offered; `none` |"), page);
        assertTrue(
                page.contains("Other components' configurations in `config/`, kept as they are (no Auditlog bundle "
                        + "describes their PIDs): `org.ops4j.pax.logging.cfg`."),
                page);
        String cfg = Files.readString(root.resolve("config/org.example.mail.cfg"));
        assertTrue(
                cfg.contains("# SMTP port: integer, 1-65535, default 25\n# SMTP server port.\n"
                        + "smtpPort = $[env:SMTP_PORT;default=25]\n"),
                cfg);
        assertTrue(cfg.contains("\n#tls = auto\n"), cfg);
        assertEquals(
                "log4j2.rootLogger.level = INFO\n", Files.readString(root.resolve("config/org.ops4j.pax.logging.cfg")));

        ConfigDocs.run("check", root);
    }

    @Test
    void theCheckNamesWhatDiffersAndTheCommandThatRewritesIt() throws IOException {
        ConfigDocs.run("write", root);
        Path cfg = root.resolve("config/org.example.mail.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("# SMTP server port.", "# The port."));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigDocs.run("check", root));

        assertEquals(
                "config/org.example.mail.cfg differs from what the bundles' metatype gives; after a change of an "
                        + "@AttributeDefinition or of the hand-written text, regenerate with: mvn -q -pl tools/config-docs -am "
                        + "verify -DskipTests -Dconfig-docs=write",
                e.getMessage());
    }

    @Test
    void theCheckFailsOnAPageNotYetGenerated() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigDocs.run("check", root));

        assertTrue(
                e.getMessage().startsWith("config/org.example.mail.cfg, docs/configuration.md differ from"),
                e.getMessage());
    }

    @Test
    void aConfigurationWithoutAFileGetsOneWithItsDefaults() throws IOException {
        Files.delete(root.resolve("config/org.example.mail.cfg"));

        assertEquals(List.of("config/org.example.mail.cfg", "docs/configuration.md"), ConfigDocs.run("write", root));

        String cfg = Files.readString(root.resolve("config/org.example.mail.cfg"));
        assertTrue(cfg.contains("\n#smtpPort = 25\n") && cfg.contains("\n#tls = auto\n"), cfg);
    }

    @Test
    void aTypoInACfgFailsNamingTheFile() throws IOException {
        Files.writeString(root.resolve("config/org.example.mail.cfg"), "smtpPrt = 25\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigDocs.run("check", root));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "config/org.example.mail.cfg: smtpPrt is not an attribute of " + "org.example.mail"),
                e.getMessage());
    }

    @Test
    void aFileOfAnAuditlogPidNoBundleDescribesFails() throws IOException {
        Files.writeString(root.resolve("config/org.auditlog.stoarge.cfg"), "url = jdbc:hsqldb:mem:x\n");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigDocs.run("check", root));

        assertEquals(
                "config/org.auditlog.stoarge.cfg: no bundle describes its PID; the PIDs described: "
                        + "org.example.mail",
                e.getMessage());
    }

    @Test
    void aBundleNotBuiltIsNamed() throws IOException {
        Files.createDirectories(root.resolve("bundles/web"));
        Files.writeString(root.resolve("bundles/web/pom.xml"), BUNDLE_POM);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigDocs.run("check", root));

        assertTrue(e.getMessage().startsWith("bundles/web is not built"), e.getMessage());
    }

    @Test
    void aModuleThatIsNoBundleIsPassedOver() throws IOException {
        ConfigDocs.run("write", root);
        Files.createDirectories(root.resolve("bundles/stream-http/target/classes"));
        Files.writeString(
                root.resolve("bundles/stream-http/pom.xml"),
                "<project><parent><artifactId>auditlog-parent</artifactId></parent></project>");
        Files.createDirectories(root.resolve("bundles/testing-data"));
        Files.writeString(root.resolve("bundles/testing-data/pom.xml"), "<project/>");

        assertEquals(List.of(), ConfigDocs.run("check", root));
    }
}
