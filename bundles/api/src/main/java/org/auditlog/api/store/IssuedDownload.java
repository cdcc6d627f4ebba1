package org.auditlog.api.store;

/**
 * A freshly issued download token.
 *
 * @param token the value to put in the link; not stored anywhere in clear
 * @param grant what it opens
 * @since 1.0
 */
public record IssuedDownload(String token, DownloadGrant grant) {}
