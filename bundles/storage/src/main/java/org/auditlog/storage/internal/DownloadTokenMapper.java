package org.auditlog.storage.internal;

import java.time.Instant;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper over {@code download_token}; statements in {@code DownloadTokenMapper.xml}. */
public interface DownloadTokenMapper {

    void insert(DownloadTokenRow row);

    DownloadTokenRow find(@Param("id") String id);

    int deleteIssuedBefore(@Param("cutoff") Instant cutoff);

    int deleteOrganization(@Param("spaceKey") String spaceKey);
}
