package org.auditlog.api.capture;

import org.auditlog.api.adapter.ProductCatalog;

/**
 * A product the server knows: one whose adapter has been installed at least once.
 *
 * @param product the product name
 * @param adapterBundle symbolic name of the bundle serving it now, or {@code null} when no adapter is installed
 * @param adapterVersion version of that bundle, or {@code null}
 * @param catalog what the adapter can produce, or {@code null} when no adapter is installed
 * @param inboxPending events accepted while no adapter was installed and not translated yet
 * @param inboxFailed events from the inbox that the adapter refused; kept, never dropped, for the operator
 * @since 1.0
 */
public record ProductStatus(
        String product,
        String adapterBundle,
        String adapterVersion,
        ProductCatalog catalog,
        long inboxPending,
        long inboxFailed) {

    /** Whether an adapter serves the product now. */
    public boolean adapterInstalled() {
        return adapterBundle != null;
    }
}
