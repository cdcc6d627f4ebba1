package org.auditlog.export.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of export files and of the CSV inside them.
 *
 * <ul>
 * <li>current month (period from the 1st up to and including the day of the export):
 * {@code auditlog-{YYYYMMDD}-{YYYYMMDD}-{product}-csv.zip}, e.g.
 * {@code auditlog-20261101-20261115-Backlog-csv.zip};</li>
 * <li>a past month: {@code auditlog-{YYYYMM}-{product}-csv.zip}, e.g.
 * {@code auditlog-202611-Backlog-csv.zip};</li>
 * <li>the CSV inside carries the same name with {@code .csv} in place of {@code -csv.zip}, e.g.
 * {@code auditlog-202611-Backlog.csv}.</li>
 * </ul>
 *
 * <p>Every name is built from validated parts, and a name that comes from outside (a download request)
 * is accepted only if one of the two methods above could have produced it. A product must match
 * {@value #PRODUCT_RULE}: a letter, then up to 31 letters or digits, so a name never holds a path
 * separator, a dot, a space or a character outside ASCII. Years have four digits (0000 to 9999).
 */
final class ExportFileNames {
    /** What a product name must look like to go into a file name. */
    static final String PRODUCT_RULE = "[A-Za-z][A-Za-z0-9]{0,31}";

    static final String PREFIX = "auditlog-";
    static final String ZIP_SUFFIX = "-csv.zip";
    static final String CSV_SUFFIX = ".csv";

    private static final Pattern PRODUCT = Pattern.compile(PRODUCT_RULE);
    private static final Pattern FILE_NAME =
            Pattern.compile("auditlog-(?:(\\d{8})-(\\d{8})|(\\d{6}))-(" + PRODUCT_RULE + ")-csv\\.zip");

    private ExportFileNames() {}

    /**
     * The file of the current month's export: {@code auditlog-{YYYYMMDD}-{YYYYMMDD}-{product}-csv.zip}.
     *
     * @param firstDay first day of the period: the 1st of the month
     * @param lastDay last day of the period, included: in the same month, not before {@code firstDay}
     * @param product the product, matching {@value #PRODUCT_RULE}
     * @throws IllegalArgumentException naming the broken rule
     */
    static String currentMonth(LocalDate firstDay, LocalDate lastDay, String product) {
        requireDay(firstDay, "firstDay");
        requireDay(lastDay, "lastDay");
        if (firstDay.getDayOfMonth() != 1) {
            throw new IllegalArgumentException("firstDay must be the 1st of a month, not " + firstDay);
        }
        if (!YearMonth.from(firstDay).equals(YearMonth.from(lastDay))) {
            throw new IllegalArgumentException(
                    "firstDay and lastDay must be in the same month, not " + firstDay + " and " + lastDay);
        }
        if (lastDay.isBefore(firstDay)) {
            throw new IllegalArgumentException("lastDay must not be before firstDay, not " + lastDay);
        }
        return PREFIX + yearMonth(firstDay.getYear(), firstDay.getMonthValue()) + twoDigits(firstDay.getDayOfMonth())
                + "-" + yearMonth(lastDay.getYear(), lastDay.getMonthValue()) + twoDigits(lastDay.getDayOfMonth())
                + "-" + requireProduct(product) + ZIP_SUFFIX;
    }

    /**
     * The file of a past month: {@code auditlog-{YYYYMM}-{product}-csv.zip}.
     *
     * @param month the month, year 0000 to 9999
     * @param product the product, matching {@value #PRODUCT_RULE}
     * @throws IllegalArgumentException naming the broken rule
     */
    static String pastMonth(YearMonth month, String product) {
        if (month == null) {
            throw new IllegalArgumentException("month is required");
        }
        requireYear(month.getYear(), "month");
        return PREFIX + yearMonth(month.getYear(), month.getMonthValue()) + "-" + requireProduct(product) + ZIP_SUFFIX;
    }

    /**
     * The name of the CSV entry inside an export file: the zip name with {@code .csv} in place of
     * {@code -csv.zip}, e.g. {@code auditlog-202611-Backlog-csv.zip} holds {@code auditlog-202611-Backlog.csv}.
     *
     * @param zipName a name that {@link #currentMonth} or {@link #pastMonth} could have produced
     * @throws IllegalArgumentException when it is not such a name
     */
    static String csvEntryName(String zipName) {
        requireExportFileName(zipName);
        return zipName.substring(0, zipName.length() - ZIP_SUFFIX.length()) + CSV_SUFFIX;
    }

    /**
     * The name itself when {@link #currentMonth} or {@link #pastMonth} could have produced it: real dates,
     * a valid product, nothing before or after.
     *
     * @throws IllegalArgumentException otherwise
     */
    static String requireExportFileName(String name) {
        String rule = "an export file name must be auditlog-{YYYYMMDD}-{YYYYMMDD}-{product}-csv.zip or "
                + "auditlog-{YYYYMM}-{product}-csv.zip with real dates and a product matching " + PRODUCT_RULE;
        if (name == null) {
            throw new IllegalArgumentException(rule);
        }
        Matcher m = FILE_NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(rule);
        }
        String rebuilt;
        try {
            if (m.group(3) != null) {
                rebuilt = pastMonth(YearMonth.of(digits(m.group(3), 0, 4), digits(m.group(3), 4, 6)), m.group(4));
            } else {
                rebuilt = currentMonth(day(m.group(1)), day(m.group(2)), m.group(4));
            }
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException(rule + " (" + e.getMessage() + ")", e);
        }
        if (!rebuilt.equals(name)) {
            throw new IllegalArgumentException(rule);
        }
        return name;
    }

    /**
     * The month an export file holds ({@code auditlog-202610-Backlog-csv.zip}: October 2026; a current-month
     * file: the month of its period), or {@code null} for a name that is not an export file's.
     */
    static YearMonth monthOf(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        String digits = m.group(3) != null ? m.group(3) : m.group(1).substring(0, 6);
        try {
            return YearMonth.of(Integer.parseInt(digits.substring(0, 4)), Integer.parseInt(digits.substring(4, 6)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * The product when it may go into a file name.
     *
     * @throws IllegalArgumentException naming the rule {@value #PRODUCT_RULE} otherwise
     */
    static String requireProduct(String product) {
        if (product == null || !PRODUCT.matcher(product).matches()) {
            throw new IllegalArgumentException("a product in a file name must match " + PRODUCT_RULE
                    + " (a letter, then up to 31 letters or digits)");
        }
        return product;
    }

    private static void requireDay(LocalDate day, String what) {
        if (day == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        requireYear(day.getYear(), what);
    }

    private static void requireYear(int year, String what) {
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException(what + " must have a four-digit year (0000 to 9999), not " + year);
        }
    }

    private static LocalDate day(String yyyymmdd) {
        return LocalDate.of(digits(yyyymmdd, 0, 4), digits(yyyymmdd, 4, 6), digits(yyyymmdd, 6, 8));
    }

    private static int digits(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }

    private static String yearMonth(int year, int month) {
        return String.format("%04d", year) + twoDigits(month);
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
