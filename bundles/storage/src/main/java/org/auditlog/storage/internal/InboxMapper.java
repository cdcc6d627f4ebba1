package org.auditlog.storage.internal;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** MyBatis mapper over {@code inbox} and {@code known_product}; statements in {@code InboxMapper.xml}. */
public interface InboxMapper {

    void insert(InboxRow row);

    List<InboxRow> pending(@Param("product") String product, @Param("max") int max);

    List<InboxRow> failed(@Param("product") String product, @Param("max") int max);

    InboxRow one(@Param("id") long id);

    int delete(@Param("id") long id);

    int deleteFailed(@Param("id") long id);

    int deleteOrganization(@Param("spaceKey") String spaceKey);

    int deleteFailedBefore(@Param("cutoff") Instant cutoff);

    int retry(@Param("id") long id);

    int fail(@Param("id") long id, @Param("reason") String reason);

    Long pendingEvents(@Param("product") String product);

    Long failedEvents(@Param("product") String product);

    List<String> knownProducts();

    int rememberProduct(@Param("name") String name, @Param("when") Instant when);
}
