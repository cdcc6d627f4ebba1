package org.auditlog.tools.configdocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.auditlog.tools.configdocs.Metatype.Configuration;
import org.junit.jupiter.api.Test;

class CfgFileTest {
    private final Configuration mail = MetatypeTest.read(MetatypeTest.MAIL).get(0);

    CfgFileTest() throws IOException {}

    @Test
    void keepsTheValueLinesAndWritesEveryCommentFromTheMetatype() {
        CfgFile cfg = CfgFile.parse(
                List.of(
                        "# an old comment, replaced",
                        "tls = $[env:MAIL_TLS;default=auto]",
                        "#smtpPort = 2525",
                        "hosts = a\\,1, \\",
                        "    b"),
                "config/org.example.mail.cfg");

        List<String> lines = cfg.render(mail, "org.example.mailer", "config/org.example.mail.cfg");

        String text = String.join("\n", lines);
        assertTrue(
                text.startsWith("# Example mail, PID org.example.mail (bundle org.example.mailer). How mail leaves.\n"
                        + "# Changes apply while the server runs."),
                text);
        assertTrue(text.contains("""

                # SMTP port: integer, 1-65535, default 25
                # SMTP server port.
                #smtpPort = 25

                # TLS: string, default auto
                # Transport security.
                #   auto: STARTTLS when offered
                #   none
                tls = $[env:MAIL_TLS;default=auto]

                # Password: password, default empty
                # SMTP password <secret>.
                #.password =

                # Hosts: list of string (at most 5), default a,1, b
                # Relays.
                hosts = a\\,1, \\
                    b"""), text);
        assertTrue(!text.contains("an old comment"), text);
        assertEquals("$[env:MAIL_TLS;default=auto]", cfg.values().get("tls").value());
    }

    @Test
    void refusesAKeyTheMetatypeDoesNotKnow() {
        CfgFile cfg = CfgFile.parse(List.of("smtpPrt = 25", "tls = ssl"), "config/org.example.mail.cfg");

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> cfg.render(mail, "org.example.mailer", "config/org.example.mail.cfg"));

        assertEquals(
                "config/org.example.mail.cfg: smtpPrt is not an attribute of org.example.mail (bundle "
                        + "org.example.mailer); its attributes: smtpPort, tls, .password, hosts",
                e.getMessage());
    }

    @Test
    void keepsTheKeysOfConfigAdminAndFileInstallAfterTheAttributes() {
        CfgFile cfg = CfgFile.parse(List.of("service.ranking = 10", "felix.fileinstall.filename = x"), "f.cfg");

        List<String> lines = cfg.render(mail, "org.example.mailer", "f.cfg");

        assertEquals(
                List.of(
                        "",
                        "# Read by ConfigAdmin or FileInstall, not by the component:",
                        "service.ranking = 10",
                        "felix.fileinstall.filename = x"),
                lines.subList(lines.size() - 4, lines.size()));
    }

    @Test
    void refusesAKeySetTwice() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CfgFile.parse(List.of("tls = ssl", "tls: none"), "f.cfg"));

        assertEquals("f.cfg: tls is set twice", e.getMessage());
    }

    @Test
    void wrapsLongDescriptionsAtTheWidth() {
        List<String> lines = Settings.wrap("word ".repeat(40), "# ", 30);

        assertTrue(lines.stream().allMatch(line -> line.length() <= 30 && line.startsWith("# ")), lines.toString());
        assertEquals(
                40, lines.stream().mapToLong(line -> line.split(" ").length - 1).sum());
    }
}
