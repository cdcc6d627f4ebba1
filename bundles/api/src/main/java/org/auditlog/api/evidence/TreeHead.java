package org.auditlog.api.evidence;

import java.time.YearMonth;

/**
 * The head of one tree: the organization and product it logs, how many leaves it holds, and the month (UTC) of the
 * server's clock at its latest append or month close.
 *
 * @since 1.0
 */
public record TreeHead(String spaceKey, String product, long size, YearMonth month) {}
