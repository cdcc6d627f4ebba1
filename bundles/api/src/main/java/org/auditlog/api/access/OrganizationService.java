package org.auditlog.api.access;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Organizations, members, plans and the Audit Log Admin privilege, kept by the rules of docs/rules.md sections 3, 4
 * and 7. Every change is recorded in the organization's own audit log as an Apps event by its {@link Actor}.
 * Refusals are {@link PolicyException}s naming the rule.
 *
 * @since 1.0
 */
@ProviderType
public interface OrganizationService {

    Organization create(String spaceKey, String name, int licenseCount, Actor by);

    /** The organization; {@link PolicyException.Kind#NOT_FOUND} when there is none or it was deleted. */
    OrganizationSnapshot get(String spaceKey);

    /** Changes the name and/or the license count ({@code null} leaves a value as it is). */
    Organization update(String spaceKey, String name, Integer licenseCount, Actor by);

    /** Deletes the organization: the plan ends, privileges are removed, data goes 30 days later. */
    void delete(String spaceKey, Actor by);

    Member addMember(String spaceKey, Member member, Actor by);

    /** Changes a member's name, email or role ({@code null} leaves a value as it is). */
    Member updateMember(String spaceKey, String userId, String name, String email, Role role, Actor by);

    void removeMember(String spaceKey, String userId, Actor by);

    /**
     * Moves the plan to a new state. Starting a plan (from not activated or ended) names the plan admin who
     * applies, an admin of the organization.
     */
    Organization changePlan(String spaceKey, PlanState to, String planAdmin, Actor by);

    /** The members who hold the privilege now. */
    List<Member> auditAdmins(String spaceKey);

    /** Grants the privilege; {@code by} must hold it. */
    void grant(String spaceKey, String userId, Actor by);

    /** Revokes the privilege; {@code by} must hold it. */
    void revoke(String spaceKey, String userId, Actor by);

    /**
     * Applies what time decides: overdue plans past their grace are terminated. Called by the daily job and
     * before reads; returns the organizations that changed.
     */
    List<String> applyTime();
}
