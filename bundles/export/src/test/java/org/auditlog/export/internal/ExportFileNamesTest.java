package org.auditlog.export.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class ExportFileNamesTest {

    @Test
    void currentMonthNamesFirstAndLastDay() {
        assertEquals(
                "auditlog-20261101-20261115-Backlog-csv.zip",
                ExportFileNames.currentMonth(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 15), "Backlog"));
        assertEquals(
                "auditlog-20260101-20260101-Apps-csv.zip",
                ExportFileNames.currentMonth(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 1), "Apps"));
    }

    @Test
    void currentMonthAtMonthAndYearEnds() {
        assertEquals(
                "auditlog-20261201-20261231-Cacoo-csv.zip",
                ExportFileNames.currentMonth(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31), "Cacoo"));
        assertEquals(
                "auditlog-20280201-20280229-Typetalk-csv.zip",
                ExportFileNames.currentMonth(LocalDate.of(2028, 2, 1), LocalDate.of(2028, 2, 29), "Typetalk"));
        assertEquals(
                "auditlog-20270201-20270228-Typetalk-csv.zip",
                ExportFileNames.currentMonth(LocalDate.of(2027, 2, 1), LocalDate.of(2027, 2, 28), "Typetalk"));
    }

    @Test
    void currentMonthRefusesAPeriodThatIsNotOneMonthFromItsFirst() {
        IllegalArgumentException notFirst = assertThrows(
                IllegalArgumentException.class,
                () -> ExportFileNames.currentMonth(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 15), "Backlog"));
        assertTrue(notFirst.getMessage().contains("1st"), notFirst.getMessage());
        IllegalArgumentException acrossYears = assertThrows(
                IllegalArgumentException.class,
                () -> ExportFileNames.currentMonth(LocalDate.of(2026, 12, 1), LocalDate.of(2027, 1, 1), "Backlog"));
        assertTrue(acrossYears.getMessage().contains("same month"), acrossYears.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ExportFileNames.currentMonth(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 10, 31), "Backlog"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ExportFileNames.currentMonth(null, LocalDate.of(2026, 11, 1), "Backlog"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ExportFileNames.currentMonth(LocalDate.of(10000, 1, 1), LocalDate.of(10000, 1, 2), "Backlog"));
    }

    @Test
    void pastMonthAcrossTheYearBoundary() {
        assertEquals("auditlog-202611-Backlog-csv.zip", ExportFileNames.pastMonth(YearMonth.of(2026, 11), "Backlog"));
        assertEquals("auditlog-202612-Backlog-csv.zip", ExportFileNames.pastMonth(YearMonth.of(2026, 12), "Backlog"));
        assertEquals("auditlog-202701-Backlog-csv.zip", ExportFileNames.pastMonth(YearMonth.of(2027, 1), "Backlog"));
        assertEquals(
                "auditlog-202701-Backlog-csv.zip",
                ExportFileNames.pastMonth(YearMonth.of(2027, 2).minusMonths(1), "Backlog"));
        assertEquals(
                "auditlog-202612-Apps-csv.zip",
                ExportFileNames.pastMonth(YearMonth.of(2027, 1).minusMonths(1), "Apps"));
        assertEquals("auditlog-099901-Apps-csv.zip", ExportFileNames.pastMonth(YearMonth.of(999, 1), "Apps"));
        assertThrows(IllegalArgumentException.class, () -> ExportFileNames.pastMonth(YearMonth.of(10000, 1), "Apps"));
        assertThrows(IllegalArgumentException.class, () -> ExportFileNames.pastMonth(null, "Apps"));
    }

    @Test
    void csvEntryNameReplacesTheZipSuffix() {
        assertEquals("auditlog-202611-Backlog.csv", ExportFileNames.csvEntryName("auditlog-202611-Backlog-csv.zip"));
        assertEquals(
                "auditlog-20261101-20261130-Cacoo.csv",
                ExportFileNames.csvEntryName("auditlog-20261101-20261130-Cacoo-csv.zip"));
    }

    @Test
    void productsThatMatchTheRule() {
        assertEquals("A", ExportFileNames.requireProduct("A"));
        assertEquals("Product2", ExportFileNames.requireProduct("Product2"));
        String thirtyTwo = "P" + "x".repeat(31);
        assertEquals(
                "auditlog-202611-" + thirtyTwo + "-csv.zip",
                ExportFileNames.pastMonth(YearMonth.of(2026, 11), thirtyTwo));
    }

    @Test
    void productsThatBreakTheRuleAreRejectedNamingIt() {
        String[] rejected = {
            null,
            "",
            "1Backlog",
            "Back-log",
            "Back log",
            "Back_log",
            "Back.log",
            "../Backlog",
            "Backlog/..",
            "Bäcklog",
            "課題",
            "Backlog\n",
            "P" + "x".repeat(32)
        };
        for (String product : rejected) {
            IllegalArgumentException past = assertThrows(
                    IllegalArgumentException.class,
                    () -> ExportFileNames.pastMonth(YearMonth.of(2026, 11), product),
                    String.valueOf(product));
            assertTrue(past.getMessage().contains("[A-Za-z][A-Za-z0-9]{0,31}"), past.getMessage());
            IllegalArgumentException current = assertThrows(
                    IllegalArgumentException.class,
                    () -> ExportFileNames.currentMonth(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 2), product));
            assertTrue(current.getMessage().contains("[A-Za-z][A-Za-z0-9]{0,31}"), current.getMessage());
        }
    }

    @Test
    void csvEntryNameAcceptsOnlyNamesThisClassCouldHaveMade() {
        String[] rejected = {
            null,
            "",
            "notes.zip",
            "auditlog-202611-Backlog.zip",
            "auditlog-202611-Backlog-csv.zip.tmp",
            "../auditlog-202611-Backlog-csv.zip",
            "dir/auditlog-202611-Backlog-csv.zip",
            "auditlog-202613-Backlog-csv.zip",
            "auditlog-202600-Backlog-csv.zip",
            "auditlog-2026110-Backlog-csv.zip",
            "auditlog-20261131-20261131-Backlog-csv.zip",
            "auditlog-20261102-20261115-Backlog-csv.zip",
            "auditlog-20261101-20261201-Backlog-csv.zip",
            "auditlog-20261101-20261031-Backlog-csv.zip",
            "auditlog-202611-1Backlog-csv.zip",
            "auditlog-202611-Back-log-csv.zip",
            "AUDITLOG-202611-Backlog-csv.zip",
            "auditlog-202611-Backlog-CSV.ZIP",
            "auditlog-２０２６１１-Backlog-csv.zip"
        };
        for (String name : rejected) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ExportFileNames.csvEntryName(name), String.valueOf(name));
            assertTrue(e.getMessage().contains("auditlog-{YYYYMM}-{product}-csv.zip"), e.getMessage());
        }
    }
}
