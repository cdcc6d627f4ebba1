/**
 * The tamper-evident log's mathematics: RFC 9162 Merkle trees with SHA-256, inclusion and consistency proofs
 * ({@link org.auditlog.evidence.Merkle}). Nothing beyond the JDK, so that the offline verifier runs the same code
 * as the server.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.auditlog.evidence;
