package org.auditlog.policy.internal;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.auditlog.api.export.ArchiveFile;
import org.auditlog.api.export.DownloadFile;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.export.PastMonth;
import org.auditlog.api.store.ExportJob;

/** Export files that note the deletions retention asks for: two old months, three files per organization. */
final class RecordingFiles implements ExportService {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public int deleteMonthsBefore(YearMonth firstKept) {
        calls.add("months before " + firstKept);
        return 2;
    }

    @Override
    public int deleteOrganization(String spaceKey) {
        calls.add("all of " + spaceKey);
        return 3;
    }

    @Override
    public ArchiveFile pastMonth(String spaceKey, YearMonth month, String product) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<PastMonth> pastMonths(String spaceKey, List<String> products) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ArchiveFile> findPastMonth(String spaceKey, YearMonth month, String product) {
        return Optional.empty();
    }

    @Override
    public ExportJob exportCurrentMonth(String spaceKey, String product, String requestedBy) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ExportJob> job(String spaceKey, long id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ExportJob> jobs(String spaceKey, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DownloadFile openDownload(String token) {
        throw new UnsupportedOperationException();
    }
}
