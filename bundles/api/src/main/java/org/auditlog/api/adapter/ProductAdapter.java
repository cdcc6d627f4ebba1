package org.auditlog.api.adapter;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns one product's native event payloads into audit records.
 *
 * <p>Implemented by product bundles and registered as an OSGi service with the service property
 * {@value #PRODUCT_PROPERTY} naming the product (e.g. {@code auditlog.product=Backlog}); the capture
 * service tracks adapters by that property and routes each payload to the one adapter of its product.
 * An adapter may come, go or be upgraded at any time.
 *
 * <p>An adapter never stores anything itself and never copies message or comment bodies into a record.
 *
 * @since 1.0
 */
@ConsumerType
public interface ProductAdapter {

    /** Service property naming the product this adapter serves. */
    String PRODUCT_PROPERTY = "auditlog.product";

    /** The product name, equal to the {@value #PRODUCT_PROPERTY} service property. */
    String product();

    /** The categories and events this adapter can produce. */
    ProductCatalog catalog();

    /**
     * Translates one native event into records (a bulk operation gives one record per item).
     *
     * @param payload one event as the product sent it, already parsed from JSON
     * @param context who sent it: the ingest token's organization and the forwarded client details
     * @return the records, with id 0 (the capture service assigns ids)
     * @throws PayloadRejectedException when the payload cannot be read; nothing of it is stored
     */
    List<AuditRecord> translate(NativePayload payload, IngestContext context) throws PayloadRejectedException;
}
