/**
 * The verifier's readers of an untrusted file: its zip's entries, each through a count of its inflated bytes
 * ({@link org.auditlog.evidence.internal.EvidenceZip}); its CSV as a stream of leaf hashes
 * ({@link org.auditlog.evidence.internal.CsvLeaves}); a stream file's gzipped lines, inflated through a count of their bytes
 * ({@link org.auditlog.evidence.internal.GzipLines}); a tree grown from a frontier
 * ({@link org.auditlog.evidence.internal.Frontier}). Not exported.
 */
package org.auditlog.evidence.internal;
