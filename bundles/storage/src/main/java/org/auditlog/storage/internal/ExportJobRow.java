package org.auditlog.storage.internal;

import org.auditlog.api.store.ExportJob;

/** A job being inserted into {@code export_job}, with the id the store chose for it. */
public final class ExportJobRow {
    public Long id;
    public final ExportJob job;
    /** {@link ExportJob#failure()} cut to the column's size. */
    public final String failure;

    ExportJobRow(ExportJob job, String failure) {
        this.job = job;
        this.failure = failure;
    }
}
