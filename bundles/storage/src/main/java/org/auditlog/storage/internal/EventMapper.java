package org.auditlog.storage.internal;

import java.util.List;

import org.apache.ibatis.annotations.Param;
import org.auditlog.api.AuditRecord;
import org.auditlog.api.EventQuery;

/** MyBatis mapper over {@code audit_event}; statements in {@code EventMapper.xml}. */
public interface EventMapper {

    void insert(AuditRecord record);

    /** Up to {@code limit} rows of the query, newest first. */
    List<AuditRecord> query(@Param("q") EventQuery query, @Param("limit") int limit);

    Long maxId();

    int deleteDatedBefore(@Param("cutoff") java.time.Instant cutoff);

    int deleteOrganization(@Param("spaceKey") String spaceKey);
}
