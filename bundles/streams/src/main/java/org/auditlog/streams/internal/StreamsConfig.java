package org.auditlog.streams.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Auditlog streams",
        description = "Streams: every organization's log pushed to its destinations (webhook, Splunk HEC, syslog, S3) "
                + "as it is written. See docs/streams.md.")
@interface StreamsConfig {
    @AttributeDefinition(
            name = "Allowed networks",
            description = "Comma-separated CIDRs a stream may connect to although they are loopback, private, "
                    + "link-local or otherwise special (refused by default, the cloud metadata address included), "
                    + "and the only ones plain (unencrypted) protocols may go to. Empty: none.")
    String allowedNetworks() default "";

    @AttributeDefinition(
            name = "Secrets key file",
            description = "File of the key the destinations' secrets are encrypted with (AES-256-GCM). Empty: "
                    + "<data>/streams/secrets.key. Made at first start, readable by its owner only; servers sharing "
                    + "one database need the same key: name a file on the shared folder.")
    String secretsKeyFile() default "";

    @AttributeDefinition(
            name = "Events per batch",
            description = "Most events in one delivery.",
            min = "1",
            max = "10000")
    int batchEvents() default 500;

    @AttributeDefinition(
            name = "Attempt timeout",
            description = "Seconds one delivery attempt may take, connection and acknowledgement included.",
            min = "1",
            max = "600")
    int attemptTimeoutSeconds() default 30;

    @AttributeDefinition(
            name = "Look interval",
            description = "Milliseconds between two looks for new events of every stream's logs.",
            min = "20",
            max = "60000")
    int lookMillis() default 200;

    @AttributeDefinition(
            name = "Longest backoff",
            description = "Most seconds between two attempts of a failing stream (the waits double from 1 s up to "
                    + "this, with jitter; a destination's Retry-After is honoured up to this too).",
            min = "1",
            max = "86400")
    int maxBackoffSeconds() default 300;

    @AttributeDefinition(
            name = "Pause after failing",
            description = "Days a stream may fail without a success before it is paused and the organization's Audit "
                    + "Log Admins are mailed. It keeps its place: resumed, it goes on from there.",
            min = "1",
            max = "365")
    int pauseAfterFailingDays() default 7;

    @AttributeDefinition(
            name = "Base URL",
            description = "Public base URL of the server, for the settings link in the mail of a paused stream. "
                    + "Empty: http://localhost:<HTTP port>.")
    String baseUrl() default "";

    @AttributeDefinition(
            name = "Delivery threads",
            description = "Streams delivered at the same time by this server.",
            min = "1",
            max = "64")
    int deliveryThreads() default 4;
}
