package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestsTest {
    @Test
    void anIpv6PeerLosesItsBracketsAndZoneAndAnIpv4PeerStaysAsItIs() {
        assertEquals("0:0:0:0:0:0:0:1", Requests.address("[0:0:0:0:0:0:0:1]"));
        assertEquals("::1", Requests.address("[::1]"));
        assertEquals("fe80::1", Requests.address("[fe80::1%eth0]"));
        assertEquals("203.0.113.5", Requests.address("203.0.113.5"));
        assertEquals("2001:db8::1", Requests.address("2001:db8::1"));
    }
}
