package org.auditlog.export.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;

/**
 * The links mailed to Audit Log Admins. They lead to the audit log settings page (docs/rules.md section 5), which
 * downloads with the signed-in member's session; the page reads {@code download} (a download token) or
 * {@code archive} and {@code product} (a past month) from the query.
 */
final class Links {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");

    private final String baseUrl;
    private final String settingsPath;

    /**
     * @param baseUrl the configured base URL, or blank for {@code http://localhost:<httpPort>}
     * @param httpPort the framework's HTTP port property, or {@code null}
     * @throws IllegalArgumentException naming the property and the rule when the base URL is not an absolute
     *         http(s) URL or the settings path does not start with '/'
     */
    Links(String baseUrl, String settingsPath, String httpPort) {
        String base = baseUrl == null || baseUrl.isBlank()
                ? "http://localhost:" + (httpPort == null || httpPort.isBlank() ? "8080" : httpPort.strip())
                : baseUrl.strip();
        try {
            URI uri = new URI(base);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw new IllegalArgumentException("baseUrl must be an absolute http or https URL without query, "
                        + "e.g. https://auditlog.example.com, not '" + base + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "baseUrl must be an absolute http or https URL, not '" + base + "': " + e.getMessage(), e);
        }
        if (settingsPath == null || !settingsPath.startsWith("/") || settingsPath.contains("?")) {
            throw new IllegalArgumentException(
                    "settingsPath must start with '/' and hold no query, not '" + settingsPath + "'");
        }
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.settingsPath = settingsPath;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The settings page of an organization. */
    String settings(String spaceKey) {
        return baseUrl + settingsPath.replace("{spaceKey}", encode(spaceKey));
    }

    /** The settings page opening a current-month export's file. */
    String download(String spaceKey, String token) {
        return settings(spaceKey) + "?download=" + encode(token);
    }

    /** The settings page opening a past month's file of one product. */
    String archive(String spaceKey, YearMonth month, String product) {
        return settings(spaceKey) + "?archive=" + month.format(MONTH) + "&product=" + encode(product);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
