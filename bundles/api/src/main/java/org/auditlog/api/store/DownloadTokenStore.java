package org.auditlog.api.store;

import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Download tokens of export files. A token's secret is random (256 bits), shown once when it is issued, and
 * kept only as a hash; a presented token is compared in constant time. Implemented by the storage bundle;
 * used by the export bundle.
 *
 * @since 1.0
 */
@ProviderType
public interface DownloadTokenStore {

    /** Issues a token (the grant's id and creation time are assigned here). Committed when it returns. */
    IssuedDownload issue(DownloadGrant grant);

    /** The grant of a presented token, or empty when it is unknown or malformed. Expiry is the caller's. */
    Optional<DownloadGrant> find(String presented);

    /** Deletes tokens issued before {@code cutoff}; returns how many. */
    int deleteIssuedBefore(Instant cutoff);

    /** Deletes every token of an organization; returns how many. */
    int deleteTokensOf(String spaceKey);
}
