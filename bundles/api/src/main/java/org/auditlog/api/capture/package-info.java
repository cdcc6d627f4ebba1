/**
 * The way in for events.
 *
 * <p>{@link EventCapture} is implemented by the capture bundle, which also publishes the {@code java.time.Clock}
 * service all time is read from. It is used by the REST bundle (ingest, products, the inbox) and by the policy
 * and export bundles, which record the server's own events through it. {@link ServerNode} (since 1.1) names this
 * server among the servers sharing one database.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.auditlog.api.capture;
