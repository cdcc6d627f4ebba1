package org.auditlog.api.evidence;

/**
 * Where a stored record's leaf is: its organization, product and sequence number (its index in that tree), and
 * its leaf itself, the record's V1 CSV row (without its CRLF).
 *
 * @since 1.0
 */
public record LeafPosition(long eventId, String spaceKey, String product, long sequence, String row) {}
