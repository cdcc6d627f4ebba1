/**
 * The tamper-evident log: each organization's records of each product form an append-only Merkle tree (RFC 9162),
 * kept by the store as it appends them ({@link EvidenceStore}), whose heads are signed as checkpoints.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.auditlog.api.evidence;
