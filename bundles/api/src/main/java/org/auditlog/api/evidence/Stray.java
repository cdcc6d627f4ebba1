package org.auditlog.api.evidence;

import java.time.YearMonth;

/**
 * A leaf appended while the tree's month was another than its record's date: a late record (dated in a month that
 * had ended), or one dated ahead. Its row is in the file of the month it is dated in ({@code month}), its leaf in
 * the part of the tree of the month it was appended in ({@code appendedIn}).
 *
 * @since 1.0
 */
public record Stray(long sequence, YearMonth month, YearMonth appendedIn) {}
