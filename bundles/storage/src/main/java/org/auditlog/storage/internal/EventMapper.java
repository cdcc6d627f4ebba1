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

    /** The rows of one organization and product in a date range, oldest first, read as they are consumed. */
    org.apache.ibatis.cursor.Cursor<AuditRecord> stream(@Param("spaceKey") String spaceKey,
            @Param("product") String product, @Param("from") java.time.Instant from, @Param("to") java.time.Instant to);

    int deleteDatedBefore(@Param("cutoff") java.time.Instant cutoff);

    int deleteOrganization(@Param("spaceKey") String spaceKey);
}
