package org.auditlog.stream.splunk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChannelsTest {
    @Test
    void aStreamsChannelIsTheNameBasedUuidVersion5OfItsId() {
        // the values of Python's uuid.uuid5(UUID("8c487b99-e6c3-444f-9b72-314fb3884082"), name)
        assertEquals(UUID.fromString("46cca8dd-0d70-532c-972e-9e0d67d49032"), Channels.of("s1"));
        assertEquals(UUID.fromString("6a12cdb9-2e62-5103-b9e2-d15090fc1052"), Channels.of("s2"));
        assertEquals(UUID.fromString("a902d6c2-d153-5530-8de9-85c9e4dbd4be"), Channels.of("7c1f"));
        assertEquals(5, Channels.of("s1").version());
        assertEquals(2, Channels.of("s1").variant());
    }
}
