package org.auditlog.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.auditlog.api.stream.AddressRefusedException;
import org.junit.jupiter.api.Test;

class NetworksTest {
    static InetAddress ip(String literal) throws java.net.UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void specialAddressesAreNamedAndPublicOnesAreNot() throws Exception {
        Map<String, String> kinds = new java.util.LinkedHashMap<>();
        kinds.put("127.0.0.1", "loopback");
        kinds.put("::1", "loopback");
        kinds.put("10.1.2.3", "private");
        kinds.put("172.16.0.1", "private");
        kinds.put("172.31.255.255", "private");
        kinds.put("192.168.1.1", "private");
        kinds.put("169.254.169.254", "link-local"); // the cloud metadata address
        kinds.put("fe80::1", "link-local");
        kinds.put("fd00::1", "private (unique local)");
        kinds.put("224.0.0.1", "multicast");
        kinds.put("ff02::1", "multicast");
        kinds.put("0.0.0.0", "unspecified");
        kinds.put("::", "unspecified");
        kinds.put("100.64.0.1", "shared (carrier-grade NAT)");
        kinds.put("::ffff:127.0.0.1", "loopback");
        kinds.put("::ffff:169.254.169.254", "link-local");
        kinds.put("240.0.0.1", "reserved");
        kinds.put("203.0.113.9", "documentation");
        kinds.put("2001:db8::1", "documentation");
        for (Map.Entry<String, String> e : kinds.entrySet()) {
            assertEquals(e.getValue(), Networks.kind(ip(e.getKey())), e.getKey());
        }
        for (String open : List.of("8.8.8.8", "172.32.0.1", "192.169.0.1", "2a00:1450:4001:80b::200e", "1.1.1.1")) {
            assertNull(Networks.kind(ip(open)), open);
        }
    }

    @Test
    void everyAddressAHostResolvesToIsCheckedAndTheOperatorsNetworksAreAllowed() throws Exception {
        Networks.Resolver dns = host -> switch (host) {
            case "mixed.example" -> new InetAddress[] {ip("93.184.215.14"), ip("10.0.0.5")};
            case "public.example" -> new InetAddress[] {ip("93.184.215.14")};
            default -> new InetAddress[] {ip(host)};
        };
        Networks none = new Networks(List.of(), dns);
        assertEquals(List.of(ip("93.184.215.14")), none.resolve("public.example"));
        AddressRefusedException refused =
                assertThrows(AddressRefusedException.class, () -> none.resolve("mixed.example"));
        assertTrue(refused.getMessage().contains("10.0.0.5 is a private address"), refused.getMessage());
        assertTrue(refused.getMessage().contains("AUDITLOG_STREAMS_ALLOWED_NETWORKS"));
        assertThrows(AddressRefusedException.class, () -> none.resolve("[::1]"));
        assertFalse(none.allowsPlain(ip("93.184.215.14")), "plain protocols only to the operator's networks");

        Networks allowed = new Networks(Networks.parse("10.0.0.0/8, 127.0.0.1 ,::1/128"), dns);
        assertEquals(2, allowed.resolve("mixed.example").size());
        assertEquals(1, allowed.resolve("127.0.0.1").size());
        assertThrows(AddressRefusedException.class, () -> allowed.resolve("127.0.0.2"));
        assertTrue(allowed.allowsPlain(ip("10.200.0.1")));
        assertTrue(allowed.allowsPlain(ip("::1")));
        assertFalse(allowed.allowsPlain(ip("11.0.0.1")));
    }

    @Test
    void aNetworkListThatCannotBeReadIsRefused() {
        for (String bad : List.of("10.0.0.0/33", "example.com", "10.0.0.0/x", "::1/129")) {
            assertThrows(IllegalArgumentException.class, () -> Networks.parse(bad), bad);
        }
        assertEquals(List.of(), Networks.parse(" , "));
    }
}
