package org.auditlog.api.export;

import java.time.YearMonth;

/**
 * One product's month within retention that can be downloaded as a file.
 *
 * @param month the month, over
 * @param product the product
 * @param fileName the file's name, {@code auditlog-{YYYYMM}-{product}-csv.zip}
 * @param size the file's size in bytes once it has been built, else {@code null} (a download builds it)
 * @since 1.0
 */
public record PastMonth(YearMonth month, String product, String fileName, Long size) {}
