package org.auditlog.api;

/**
 * A member of an organization.
 *
 * @param userId the user's id
 * @param name display name
 * @param email email address
 * @param role admin, member or guest
 */
public record Member(String userId, String name, String email, Role role) {
}
