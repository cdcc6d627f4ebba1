package org.auditlog.api;

/**
 * A freshly issued download token.
 *
 * @param token the value to put in the link; not stored anywhere in clear
 * @param grant what it opens
 */
public record IssuedDownload(String token, DownloadGrant grant) {
}
