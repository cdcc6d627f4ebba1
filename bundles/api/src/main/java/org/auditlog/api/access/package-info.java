/**
 * Organizations, members, plans, the Audit Log Admin privilege, and who may do what.
 *
 * <p>{@link OrganizationService} and {@link AccessPolicy} are implemented by the policy bundle. The capture bundle
 * asks the policy whether to record; the REST and export bundles ask whether a member may search, export or
 * download. {@link OwnRecords} builds the records the server writes about its own use, by an {@link Actor}.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.auditlog.api.access;
