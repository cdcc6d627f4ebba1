package org.auditlog.storage.internal;

import java.time.Instant;

/** One row of {@code inbox}; {@code id} is filled in by the insert. */
public final class InboxRow {
    public Long id;
    public String product;
    public String contentType;
    public String payloads;
    public int eventCount;
    public String spaceKey;
    public String clientIp;
    public String clientUserAgent;
    public Instant received;
    public String failure;
}
