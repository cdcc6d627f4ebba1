package org.auditlog.api.store;

import java.time.Instant;
import org.auditlog.api.adapter.IngestContext;

/**
 * Events of one request, kept while their product's adapter is absent.
 *
 * @param id the entry's id (0 before it is stored)
 * @param product the product of the request
 * @param contentType the media type of the request
 * @param payloads the request's events as a JSON array, one element per event, as received
 * @param events how many events the array holds
 * @param context the ingest token's organization and the forwarded client details
 * @param received when the server accepted them
 * @param failure why the adapter refused them, or {@code null} while they wait
 * @since 1.0
 */
public record InboxEntry(
        long id,
        String product,
        String contentType,
        String payloads,
        int events,
        IngestContext context,
        Instant received,
        String failure) {}
