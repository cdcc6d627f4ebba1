package org.auditlog.rest.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportLimitException;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.store.ExportJob;

/**
 * The export service as the test sets it: {@link #archive} is every past month's file, {@link #download} the file
 * of every download token, and {@link #refusal}, when set, is what the service throws instead (as the export
 * bundle refuses a month beyond retention or an expired link). Calls are noted.
 */
final class FakeExports implements ExportService {
    ArchiveFile archive;
    DownloadFile download;
    RuntimeException refusal;
    /** When set, what the bounds of export requests say to every request. */
    ExportLimitException limit;

    final List<ExportJob> jobs = new ArrayList<>();
    final List<PastMonth> months = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    private void refuseIfTold() {
        if (refusal != null) {
            throw refusal;
        }
    }

    @Override
    public ArchiveFile pastMonth(String spaceKey, YearMonth month, String product) {
        calls.add("pastMonth " + spaceKey + " " + month + " " + product);
        refuseIfTold();
        return archive;
    }

    @Override
    public List<PastMonth> pastMonths(String spaceKey, List<String> products) {
        calls.add("pastMonths " + spaceKey + " " + products);
        return months;
    }

    @Override
    public Optional<ArchiveFile> findPastMonth(String spaceKey, YearMonth month, String product) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int deleteMonthsBefore(YearMonth firstKept) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int deleteOrganization(String spaceKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void checkExportLimits(String spaceKey, String product, String requestedBy) {
        calls.add("checkExportLimits " + spaceKey + " " + product + " " + requestedBy);
        if (limit != null) {
            throw limit;
        }
    }

    @Override
    public ExportJob exportCurrentMonth(String spaceKey, String product, String requestedBy) {
        calls.add("exportCurrentMonth " + spaceKey + " " + product + " " + requestedBy);
        refuseIfTold();
        ExportJob job = new ExportJob(
                4503599627370495L,
                spaceKey,
                product,
                requestedBy,
                Fixtures.NOW,
                LocalDate.of(2026, 11, 1),
                LocalDate.of(2026, 11, 20),
                ExportJob.State.QUEUED,
                0,
                null,
                null,
                null,
                null,
                0);
        jobs.add(0, job);
        return job;
    }

    @Override
    public Optional<ExportJob> job(String spaceKey, long id) {
        calls.add("job " + spaceKey + " " + id);
        return jobs.stream()
                .filter(j -> j.spaceKey().equals(spaceKey) && j.id() == id)
                .findFirst();
    }

    @Override
    public List<ExportJob> jobs(String spaceKey, int max) {
        calls.add("jobs " + spaceKey + " " + max);
        return jobs.stream()
                .filter(j -> j.spaceKey().equals(spaceKey))
                .limit(max)
                .toList();
    }

    @Override
    public DownloadFile openDownload(String token) {
        calls.add("openDownload " + token);
        refuseIfTold();
        return download;
    }

    static ExportJob doneJob(long id, String spaceKey) {
        Instant started = Fixtures.NOW.plusSeconds(1);
        return new ExportJob(
                id,
                spaceKey,
                "Backlog",
                "u1",
                Fixtures.NOW,
                LocalDate.of(2026, 11, 1),
                LocalDate.of(2026, 11, 20),
                ExportJob.State.DONE,
                1234,
                "auditlog-20261101-20261120-Backlog-csv.zip",
                null,
                started,
                started.plusMillis(2500),
                1);
    }
}
