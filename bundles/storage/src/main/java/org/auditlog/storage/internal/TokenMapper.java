package org.auditlog.storage.internal;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper over {@code api_token}; statements in {@code TokenMapper.xml}. */
public interface TokenMapper {

    void insert(TokenRow row);

    TokenRow find(@Param("id") String id);

    List<TokenRow> listActive();

    int revoke(@Param("id") String id, @Param("when") Instant when);

    int revokeAll(@Param("spaceKey") String spaceKey, @Param("userId") String userId, @Param("when") Instant when);
}
