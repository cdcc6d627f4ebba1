/**
 * Streams: an organization's log pushed to a destination (a SIEM, a collector, a bucket) as it is written.
 *
 * <p>A destination type is a plug-in: a bundle registering a {@link StreamDestination} service (a consumer type)
 * with the service property {@value StreamDestination#TYPE_PROPERTY}. The streams bundle reads each stream's
 * events in sequence order per organization and product, hands them to the destination as {@link StreamBatch}es,
 * and moves the stream's place on only when the destination answers {@link Delivery#accepted()}. A destination
 * checks its settings ({@link StreamDestination#check}), says which of them are secrets (stored encrypted, never
 * shown again), and connects only to addresses the server's {@link NetworkGuard} allows. This package depends on
 * {@code org.auditlog.api.adapter} alone: a destination imports these two.
 *
 * <p>1.1.0: {@link org.auditlog.api.stream.DeliveryContext#file} gives a batch as a file that proves itself
 * ({@link org.auditlog.api.stream.BatchFile}), for destinations that store files.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.auditlog.api.stream;
