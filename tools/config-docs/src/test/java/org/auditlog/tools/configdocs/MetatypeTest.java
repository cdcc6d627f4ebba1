package org.auditlog.tools.configdocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.auditlog.tools.configdocs.Metatype.Attribute;
import org.auditlog.tools.configdocs.Metatype.Configuration;
import org.auditlog.tools.configdocs.Metatype.Option;
import org.junit.jupiter.api.Test;

class MetatypeTest {
    /** As bnd writes it from an {@code @ObjectClassDefinition}. */
    static final String MAIL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0" localization="OSGI-INF/l10n/x">
              <OCD id="org.example.Mail$Config" name="Example mail" description="How mail leaves.">
                <AD id="smtpPort" type="Integer" name="SMTP port" description="SMTP server port." min="1" max="65535" default="25"/>
                <AD id="tls" type="String" name="TLS" description="Transport security." default="auto">
                  <Option label="STARTTLS when offered" value="auto"/>
                  <Option label="" value="none"/>
                </AD>
                <AD id=".password" type="Password" name="Password" description="SMTP password &lt;secret&gt;." default=""/>
                <AD id="hosts" type="String" cardinality="-5" name="Hosts" description="Relays." default="a\\,1,b"/>
              </OCD>
              <Designate pid="org.example.mail">
                <Object ocdref="org.example.Mail$Config"/>
              </Designate>
            </metatype:MetaData>
            """;

    @Test
    void readsEveryAttributeInOrderWithItsFacts() throws IOException {
        List<Configuration> configurations = read(MAIL);

        assertEquals(1, configurations.size());
        Configuration mail = configurations.get(0);
        assertEquals("org.example.mail", mail.pid());
        assertEquals("Example mail", mail.ocd().name());
        assertEquals("How mail leaves.", mail.ocd().description());
        assertEquals(
                List.of("smtpPort", "tls", ".password", "hosts"),
                mail.ocd().attributes().stream().map(Attribute::id).toList());
        Attribute port = mail.ocd().attribute("smtpPort");
        assertEquals("integer", Settings.type(port));
        assertEquals("1-65535", Settings.range(port));
        assertEquals(List.of("25"), Settings.defaults(port));
        assertEquals(
                List.of(new Option("auto", "STARTTLS when offered"), new Option("none", "")),
                mail.ocd().attribute("tls").options());
        Attribute password = mail.ocd().attribute(".password");
        assertEquals("SMTP password <secret>.", password.description());
        assertEquals(List.of(""), Settings.defaults(password));
        assertNull(password.min());
        Attribute hosts = mail.ocd().attribute("hosts");
        assertEquals("list of string (at most 5)", Settings.type(hosts));
        assertEquals(List.of("a,1", "b"), Settings.defaults(hosts));
    }

    @Test
    void readsAFactoryPidOfMetatype14() throws IOException {
        List<Configuration> configurations = read("""
                <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.4.0">
                  <OCD id="o" name="Feed" description="One feed.">
                    <AD id="url" type="String" name="URL" description="Where." required="true"/>
                  </OCD>
                  <Designate factoryPid="org.example.feed"><Object ocdref="o"/></Designate>
                </metatype:MetaData>
                """);

        assertEquals("org.example.feed", configurations.get(0).pid());
        assertTrue(configurations.get(0).factory());
        assertEquals(List.of(), Settings.defaults(configurations.get(0).ocd().attribute("url")));
    }

    @Test
    void refusesLocalisedTextItCannotShow() {
        IOException e =
                assertThrows(IOException.class, () -> read(MAIL.replace("name=\"SMTP port\"", "name=\"%smtp.port\"")));

        assertTrue(e.getMessage().contains("smtpPort has a localised name (%smtp.port)"), e.getMessage());
    }

    @Test
    void refusesADocumentThatIsNoMetatype() {
        IOException e = assertThrows(IOException.class, () -> read("<components/>"));

        assertTrue(e.getMessage().contains("not an OSGi metatype document"), e.getMessage());
    }

    @Test
    void refusesADesignateOfAnUnknownOcd() {
        IOException e = assertThrows(
                IOException.class,
                () -> read(MAIL.replace("ocdref=\"org.example.Mail$Config\"", "ocdref=\"elsewhere\"")));

        assertTrue(e.getMessage().contains("names OCD elsewhere"), e.getMessage());
    }

    static List<Configuration> read(String xml) throws IOException {
        return Metatype.read(new ByteArrayInputStream(xml.strip().getBytes(StandardCharsets.UTF_8)), "test.xml");
    }
}
