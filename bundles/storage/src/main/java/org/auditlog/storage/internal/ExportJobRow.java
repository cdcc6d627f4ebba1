package org.auditlog.storage.internal;

import org.auditlog.api.ExportJob;

/** A job being inserted into {@code export_job}; {@code id} is filled in by the insert. */
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
