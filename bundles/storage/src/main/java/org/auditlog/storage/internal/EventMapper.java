package org.auditlog.storage.internal;

import org.apache.ibatis.annotations.Param;
import org.auditlog.api.AuditRecord;

/** MyBatis mapper over {@code audit_event}; statements in {@code EventMapper.xml}. */
public interface EventMapper {

    void insert(AuditRecord record);

    Long maxId();

    int deleteDatedBefore(@Param("cutoff") java.time.Instant cutoff);

    int deleteOrganization(@Param("spaceKey") String spaceKey);
}
