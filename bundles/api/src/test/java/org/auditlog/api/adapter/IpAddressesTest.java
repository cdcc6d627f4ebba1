package org.auditlog.api.adapter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "1.2.3.4",
                "192.0.2.1",
                "203.0.113.5",
                "255.255.255.255",
                "10.0.0.10",
                "::",
                "::1",
                "1::",
                "2001:db8::1",
                "2001:DB8::1",
                "2001:0db8:0000:0000:0000:ff00:0042:8329",
                "2001:db8:0:0:1:0:0:1",
                "fe80::1",
                "1:2:3:4:5:6:7::",
                "::2:3:4:5:6:7:8",
                "1:2:3:4:5:6:7:8",
                "::ffff:192.0.2.1",
                "::192.0.2.1",
                "64:ff9b::203.0.113.5",
                "1:2:3:4:5:6:192.0.2.1",
                "1::5:6:192.0.2.1",
                "::FFFF:1.2.3.4"
            })
    void accepts(String text) {
        assertTrue(IpAddresses.isValid(text), text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "01.2.3.4",
                "1.2.3.04",
                "00.0.0.0",
                "256.1.1.1",
                "1.256.1.1",
                "1.2.3.1000",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.",
                ".1.2.3",
                "1..2.3",
                "1.2.3.4 ",
                " 1.2.3.4",
                "+1.2.3.4",
                "1.2.3.-4",
                "0x7f.0.0.1",
                "127.1",
                "2130706433",
                "localhost",
                "example.com",
                "acme.example",
                "unknown",
                "-",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                ":::",
                "1:::2",
                "1::2::3",
                ":1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:",
                "12345::1",
                "g::1",
                "2001:db8::1%eth0",
                "fe80::1%1",
                "::ffff:256.0.2.1",
                "::ffff:01.2.3.4",
                "1:2:3:4:5:6:7:192.0.2.1",
                "192.0.2.1::",
                "::192.0.2",
                ":192.0.2.1",
                "1:2:3:4:5:6:7::8",
                "[::1]",
                "::1/128",
                "203.0.113.5, 198.51.100.7",
                "２０３.0.113.5",
                "::١"
            })
    void refuses(String text) {
        assertFalse(IpAddresses.isValid(text), text);
    }
}
