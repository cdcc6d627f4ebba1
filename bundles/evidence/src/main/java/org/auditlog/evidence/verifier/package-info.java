/**
 * The offline verifier of export files and stream files: the command line
 * ({@link org.auditlog.evidence.verifier.Verify}, the jar's {@code Main-Class}, which {@code bin/auditlog-verify}
 * runs) and the checks it runs on an export file ({@link org.auditlog.evidence.verifier.FileVerifier}), on a stream
 * file with its digest ({@link org.auditlog.evidence.verifier.StreamFileVerifier}) and on a folder of them, with
 * their bounds. Not exported: no bundle calls the verifier; it runs outside the server, as {@code java -jar} on this
 * bundle's jar, which needs only a JDK.
 */
package org.auditlog.evidence.verifier;
