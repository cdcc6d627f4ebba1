package org.auditlog.api.evidence;

import java.time.Instant;

/**
 * A checkpoint as signed: the tree's size, its root, when, and the signed note's text (C2SP signed-note format).
 *
 * @since 1.0
 */
public record SignedCheckpoint(String spaceKey, String product, long size, byte[] root, Instant time, String note) {}
