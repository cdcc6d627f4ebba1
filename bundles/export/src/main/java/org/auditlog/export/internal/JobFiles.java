package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.ExportJob.State;
import org.auditlog.api.store.ExportJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the files of current-month export jobs live ({@code <exports>/<spaceKey>/jobs/<id>/}), and when they go
 * with their jobs and download tokens: some days after they ended, or with their organization.
 */
final class JobFiles {
    private static final Logger LOG = LoggerFactory.getLogger(JobFiles.class);
    static final String JOBS_FOLDER = "jobs";

    private final Path root;
    private final ExportJobStore jobs;
    private final DownloadTokenStore tokens;

    JobFiles(Path root, ExportJobStore jobs, DownloadTokenStore tokens) {
        this.root = root;
        this.jobs = jobs;
        this.tokens = tokens;
    }

    Path folder(ExportJob job) {
        return root.resolve(job.spaceKey()).resolve(JOBS_FOLDER).resolve(Long.toString(job.id()));
    }

    /** Deletes jobs, their files and download tokens that ended before {@code cutoff}; returns the jobs deleted. */
    int deleteFinishedBefore(Instant cutoff) {
        for (String spaceKey : folderNames(root)) {
            Path jobsDir = root.resolve(spaceKey).resolve(JOBS_FOLDER);
            for (String id : folderNames(jobsDir)) {
                Optional<ExportJob> job = id.matches("\\d{1,18}") ? jobs.find(Long.parseLong(id)) : Optional.empty();
                boolean old = job.map(j -> j.finished() != null && j.finished().isBefore(cutoff))
                        .orElse(true);
                if (old
                        && job.map(j -> j.state() != State.QUEUED && j.state() != State.RUNNING)
                                .orElse(true)) {
                    deleteTree(jobsDir.resolve(id));
                }
            }
        }
        tokens.deleteIssuedBefore(cutoff);
        return jobs.deleteFinishedBefore(cutoff);
    }

    /** Deletes an organization's jobs and tokens (its files go with its folder). */
    void deleteOrganization(String spaceKey) {
        tokens.deleteTokensOf(spaceKey);
        jobs.deleteJobsOf(spaceKey);
    }

    static List<String> folderNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .toList();
        } catch (IOException e) {
            LOG.warn("Could not list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
