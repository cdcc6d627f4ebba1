/**
 * The tamper-evident log's mathematics: RFC 9162 Merkle trees with SHA-256, inclusion and consistency proofs
 * ({@link org.auditlog.evidence.Merkle}). Nothing beyond the JDK, so that the offline verifier runs the same code
 * as the server. Since 1.1 the offline verifier's bounds are public constants
 * ({@link org.auditlog.evidence.FileVerifier#MAX_MANIFEST} and those beside it,
 * {@link org.auditlog.evidence.Json#MAX_DEPTH}, {@link org.auditlog.evidence.SignedNote#MAX_SIGNATURES}). Since 1.2
 * {@link org.auditlog.evidence.CsvRows} is the one writer of a V1 row (its header, its date rule, its leaf hash).
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.auditlog.evidence;
