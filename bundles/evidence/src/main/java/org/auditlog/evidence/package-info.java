/**
 * The tamper-evident log's mathematics and the format of its evidence, as the server and the offline verifier both
 * use them: RFC 9162 Merkle trees with SHA-256, inclusion and consistency proofs ({@link org.auditlog.evidence.Merkle},
 * {@link org.auditlog.evidence.CompactTree}, {@link org.auditlog.evidence.Tiles}), signed notes and checkpoints, an
 * export file's evidence entries ({@link org.auditlog.evidence.FileEvidence}), a stream file's lines and digest
 * ({@link org.auditlog.evidence.StreamFiles}) and the one writer of a V1 row, which is
 * also a record's leaf ({@link org.auditlog.evidence.CsvRows}). Nothing beyond the JDK, so that the offline verifier
 * runs the same code as the server. The verifier itself is not part of this package: it is in
 * {@code org.auditlog.evidence.verifier}, which is not exported.
 *
 * <p>2.0.0: the verifier ({@code FileVerifier}, {@code Verify}) is no longer in this package (no bundle imports it);
 * {@link org.auditlog.evidence.CsvRows} writes the header, checks the date and hashes a row.
 *
 * <p>2.1.0: {@link org.auditlog.evidence.StreamFiles}, the names, lines and digests of a stream's batches written
 * as files that prove themselves.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package org.auditlog.evidence;
