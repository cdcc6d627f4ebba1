package org.auditlog.storage.internal;

import java.time.Instant;
import org.apache.ibatis.annotations.Param;
import org.auditlog.api.adapter.AuditRecord;

/** MyBatis mapper over {@code audit_event}; statements in {@code EventMapper.xml}. */
public interface EventMapper {

    void insert(AuditRecord record);

    Long maxId();

    /** The smallest space key above {@code after} (or the smallest of all when null); null past the last. */
    String nextSpaceKey(@Param("after") String after);

    int deleteDatedBefore(
            @Param("spaceKey") String spaceKey, @Param("cutoff") Instant cutoff, @Param("limit") int limit);

    int deleteOrganization(@Param("spaceKey") String spaceKey);

    /** When a record of that organization, product and month ({@code YYYYMM}) was last stored late, or null. */
    Instant lastLateRecord(
            @Param("spaceKey") String spaceKey, @Param("product") String product, @Param("month") String month);

    int deleteLateRecordsBefore(@Param("month") String month);

    /** Deletes an organization's rows of {@code table}, a table name of the store's own. */
    int deleteOrganizationRows(@Param("table") String table, @Param("spaceKey") String spaceKey);
}
