package org.auditlog.api.store;

import java.util.List;
import java.util.Optional;
import org.auditlog.api.access.OrganizationSnapshot;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of organizations, their members and the privilege history. Used by the policy bundle.
 *
 * @since 1.0
 */
@ProviderType
public interface OrganizationStore {

    /** An organization with its members and privilege history, or empty when there is none. */
    Optional<OrganizationSnapshot> load(String spaceKey);

    /**
     * Saves a whole snapshot in one transaction. {@code snapshot.organization().revision()} must be one more
     * than the stored revision (or 0 for a new organization).
     *
     * @throws StoreException when the stored revision is not the expected one (someone else saved first),
     *         or the snapshot could not be stored; nothing is changed then
     */
    void save(OrganizationSnapshot snapshot);

    /** Every organization's space key. */
    List<String> spaceKeys();

    /** Removes an organization with its members and history for good (retention). */
    void purge(String spaceKey);
}
