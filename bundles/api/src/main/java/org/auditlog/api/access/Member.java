package org.auditlog.api.access;

/**
 * A member of an organization.
 *
 * @param userId the user's id
 * @param name display name
 * @param email email address
 * @param role admin, member or guest
 * @since 1.0
 */
public record Member(String userId, String name, String email, Role role) {}
