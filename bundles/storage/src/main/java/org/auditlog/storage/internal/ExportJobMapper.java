package org.auditlog.storage.internal;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.auditlog.api.store.ExportJob;

/** MyBatis mapper over {@code export_job} and {@code monthly_run}; statements in {@code ExportJobMapper.xml}. */
public interface ExportJobMapper {

    /** Inserts a job; the generated id is written to {@code row.id}. */
    void insert(ExportJobRow row);

    ExportJob find(@Param("id") long id);

    List<ExportJob> list(@Param("spaceKey") String spaceKey, @Param("max") int max);

    List<ExportJob> unfinished();

    int update(@Param("j") ExportJob job, @Param("failure") String failure);

    int progress(@Param("id") long id, @Param("rows") long rows);

    int deleteFinishedBefore(@Param("cutoff") Instant cutoff);

    int deleteOrganization(@Param("spaceKey") String spaceKey);

    Instant monthlyRun(@Param("month") String month);

    /** Inserts the month unless it is there already; returns rows inserted. */
    int rememberMonthlyRun(@Param("month") String month, @Param("at") Instant at);

    /** The id of the oldest job that is unfinished and unclaimed (or its claim ran out) at {@code now}, or null. */
    Long claimable(@Param("now") Instant now);

    /** Claims the job for {@code holder} until {@code expires} if it is still claimable at {@code now}. */
    int claim(
            @Param("id") long id,
            @Param("holder") String holder,
            @Param("now") Instant now,
            @Param("expires") Instant expires);

    int renewClaim(@Param("id") long id, @Param("holder") String holder, @Param("expires") Instant expires);

    /** Releases the claims of the holders {@code LIKE pattern} (escape {@code !}) but {@code except}. */
    int releaseClaims(@Param("pattern") String pattern, @Param("except") String except);
}
