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

    int deleteDatedBefore(@Param("spaceKey") String spaceKey, @Param("cutoff") Instant cutoff,
            @Param("limit") int limit);

    int deleteOrganization(@Param("spaceKey") String spaceKey);
}
