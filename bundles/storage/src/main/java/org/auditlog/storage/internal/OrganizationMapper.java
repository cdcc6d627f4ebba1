package org.auditlog.storage.internal;

import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.PrivilegeGrant;

/** MyBatis mapper over organizations, members and privilege grants; statements in {@code OrganizationMapper.xml}. */
public interface OrganizationMapper {

    Organization find(@Param("spaceKey") String spaceKey);

    List<Member> members(@Param("spaceKey") String spaceKey);

    List<PrivilegeGrant> grants(@Param("spaceKey") String spaceKey);

    void insert(Organization organization);

    /** Updates the row if its stored revision is {@code organization.revision() - 1}; returns rows changed. */
    int update(Organization organization);

    void deleteMembers(@Param("spaceKey") String spaceKey);

    void insertMember(@Param("spaceKey") String spaceKey, @Param("m") Member member);

    void deleteGrants(@Param("spaceKey") String spaceKey);

    void insertGrant(@Param("spaceKey") String spaceKey, @Param("seq") int seq, @Param("g") PrivilegeGrant grant);

    List<String> spaceKeys();

    int delete(@Param("spaceKey") String spaceKey);

    /** PostgreSQL only: notifies the channel of the organization's change when the transaction commits. */
    String announce(@Param("channel") String channel, @Param("spaceKey") String spaceKey);
}
