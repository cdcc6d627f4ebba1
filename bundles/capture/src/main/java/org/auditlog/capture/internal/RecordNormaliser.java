package org.auditlog.capture.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.auditlog.api.adapter.Actors;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.IpAddresses;
import org.auditlog.api.adapter.PayloadRejectedException;

/**
 * Checks a record against the V1 rules and brings it to its stored form, whatever produced it.
 *
 * <ul>
 * <li>space key: required, letters, digits, {@code _} and {@code -}; an ingest token bound to an
 * organization gives its space key, and a record naming another organization is refused;</li>
 * <li>product: the product of the request;</li>
 * <li>date: required, kept in UTC at millisecond precision, from {@link #EARLIEST} to {@link #LATEST} inclusive
 * (no product event predates the Unix epoch, so an earlier date is a client's mistake, a negative epoch say;
 * the latest is the last instant RFC 3339 and the CSV's four-digit years can write);</li>
 * <li>category, event, action, operation user name: required;</li>
 * <li>{@code Nulab Support} and {@code System user}: operation user id, email, IP address and user agent
 * are blanked, whatever was sent;</li>
 * <li>otherwise a missing IP address or user agent is taken from what the product forwarded;</li>
 * <li>IP address: empty, or an IPv4 or IPv6 address ({@link IpAddresses}); never resolved;</li>
 * <li>absent optional values become empty strings; every value fits its column; version is V1.</li>
 * </ul>
 * A product's record is also held to {@link #checkFromProduct}: its text is valid Unicode, and it is none of
 * the records only the server writes.
 */
final class RecordNormaliser {
    static final Pattern SPACE_KEY = Pattern.compile(Column.SPACE_KEY_PATTERN);
    /** The earliest date accepted: the Unix epoch. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00.000Z");
    /** The latest date accepted: the last millisecond of year 9999, UTC. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    static final String DATE_RULE = "must be from 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z inclusive "
            + "(in UTC, once its offset is applied)";
    /** The header a product forwards the acting user's IP address in; named when its value is refused. */
    static final String CLIENT_IP_HEADER = "X-Auditlog-Client-Ip";
    /** The header a product forwards the acting user's user agent in. */
    static final String CLIENT_USER_AGENT_HEADER = "X-Auditlog-Client-User-Agent";

    static final String IP_RULE = "must be an IPv4 address (192.0.2.1) or an IPv6 address (2001:db8::1, "
            + "::ffff:192.0.2.1) without a zone id, or empty";

    /** The category of the server's records about the use of the log (searches, downloads, exports, sign-ins). */
    static final String OWN_CATEGORY = "Audit log";
    /** The category of privilege changes, which the server makes by itself under its rules. */
    static final String PRIVILEGE_CATEGORY = "Privilege";

    private RecordNormaliser() {}

    /**
     * What a record a product sent (canonical or made by its adapter, at once or from the inbox) must meet
     * beyond the V1 rules, so that it can never pass for one of the server's own records (docs/rules.md "The
     * server's own records"):
     * <ul>
     * <li>every text value is valid Unicode: a lone UTF-16 surrogate (JSON's {@code "\\ud800"}) has no UTF-8 form,
     * so the CSV, the evidence leaf and a strict client would each read another text;</li>
     * <li>its category is not {@value #OWN_CATEGORY} (in any case), which only the server writes;</li>
     * <li>a change of {@value #PRIVILEGE_CATEGORY} is not by {@code System user} or {@code Nulab Support}: the
     * server grants and removes the Audit Log Admin privilege by itself (plan rules) or at the operator's request,
     * and records it so; a product records a privilege change by the member who made it.</li>
     * </ul>
     *
     * @throws PayloadRejectedException naming the field and the rule
     */
    static void checkFromProduct(AuditRecord r) throws PayloadRejectedException {
        unicode(Column.SPACE_KEY, r.spaceKey());
        unicode(Column.CATEGORY, r.category());
        unicode(Column.EVENT, r.event());
        unicode(Column.ACTION, r.action());
        unicode(Column.OPERATION_USER_ID, r.operationUserId());
        unicode(Column.OPERATION_USER_NAME, r.operationUserName());
        unicode(Column.OPERATION_USER_EMAIL, r.operationUserEmail());
        unicode(Column.IP_ADDRESS, r.ipAddress());
        unicode(Column.USER_AGENT, r.userAgent());
        if (r.category() != null && OWN_CATEGORY.equalsIgnoreCase(r.category().strip())) {
            throw new PayloadRejectedException(
                    Column.CATEGORY.columnName(),
                    "'" + OWN_CATEGORY + "' is reserved "
                            + "for the server's own records (searches, downloads and exports of the log, sign-ins)");
        }
        if (Actors.isSupportOrSystem(r.operationUserName())
                && r.category() != null
                && PRIVILEGE_CATEGORY.equalsIgnoreCase(r.category().strip())) {
            throw new PayloadRejectedException(
                    Column.OPERATION_USER_NAME.columnName(),
                    "a privilege change by '"
                            + r.operationUserName()
                            + "' is the server's own record: it grants and removes the Audit Log "
                            + "Admin privilege itself; a product records a privilege change by the member who made it");
        }
    }

    /** Refuses a value that is not valid Unicode (a lone surrogate), naming where. */
    static void unicode(Column column, String value) throws PayloadRejectedException {
        int at = loneSurrogate(value);
        if (at >= 0) {
            throw new PayloadRejectedException(
                    column.columnName(),
                    "is not valid Unicode text: a lone UTF-16 "
                            + "surrogate (\\u"
                            + Integer.toHexString(value.charAt(at)).toUpperCase(java.util.Locale.ROOT)
                            + ") at character " + at);
        }
    }

    /** The index of the first lone surrogate of {@code value}, or -1 when it is well-formed (or null). */
    static int loneSurrogate(String value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code value} with every lone surrogate replaced by U+FFFD, for the server's own records, which are never
     * refused for their content (a search filter the client sent broken, say).
     */
    static String wellFormed(String value) {
        if (loneSurrogate(value) < 0) {
            return value;
        }
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                b.append(c).append(value.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** A record of the server's own with its text made well-formed ({@link #wellFormed}). */
    static AuditRecord wellFormed(AuditRecord r) {
        return new AuditRecord(
                r.id(),
                r.spaceKey(),
                r.product(),
                r.date(),
                wellFormed(r.category()),
                wellFormed(r.event()),
                wellFormed(r.action()),
                wellFormed(r.operationUserId()),
                wellFormed(r.operationUserName()),
                wellFormed(r.operationUserEmail()),
                wellFormed(r.ipAddress()),
                wellFormed(r.userAgent()),
                r.version());
    }

    static AuditRecord normalise(AuditRecord r, String product, IngestContext context) throws PayloadRejectedException {
        String spaceKey = r.spaceKey();
        if (context.spaceKey() != null) {
            if (spaceKey != null && !spaceKey.equals(context.spaceKey())) {
                throw new PayloadRejectedException(
                        Column.SPACE_KEY.columnName(),
                        "the ingest token is bound to organization " + context.spaceKey());
            }
            spaceKey = context.spaceKey();
        }
        if (spaceKey == null || spaceKey.isBlank()) {
            throw new PayloadRejectedException(
                    Column.SPACE_KEY.columnName(),
                    "is required: send it in the event, or use an ingest token bound to the organization");
        }
        if (!SPACE_KEY.matcher(spaceKey).matches()) {
            throw new PayloadRejectedException(
                    Column.SPACE_KEY.columnName(),
                    "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (r.date() == null) {
            throw new PayloadRejectedException(Column.DATE.columnName(), "is required");
        }
        Instant date = r.date().truncatedTo(ChronoUnit.MILLIS);
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw new PayloadRejectedException(Column.DATE.columnName(), DATE_RULE + "; it is " + r.date());
        }
        required(Column.CATEGORY, r.category());
        required(Column.EVENT, r.event());
        required(Column.ACTION, r.action());
        required(Column.OPERATION_USER_NAME, r.operationUserName());

        String userId = blankIfNull(r.operationUserId());
        String email = blankIfNull(r.operationUserEmail());
        boolean ipFromRecord = r.ipAddress() != null && !r.ipAddress().isEmpty();
        String ip = ipFromRecord ? r.ipAddress() : blankIfNull(context.clientIp());
        String userAgent = r.userAgent() == null || r.userAgent().isEmpty()
                ? blankIfNull(context.clientUserAgent())
                : r.userAgent();
        if (Actors.isSupportOrSystem(r.operationUserName())) {
            userId = "";
            email = "";
            ip = "";
            userAgent = "";
        }
        if (!ip.isEmpty() && !IpAddresses.isValid(ip)) {
            throw new PayloadRejectedException(
                    ipFromRecord ? Column.IP_ADDRESS.columnName() : CLIENT_IP_HEADER, IP_RULE);
        }
        AuditRecord out = new AuditRecord(
                0,
                spaceKey,
                product,
                date,
                r.category(),
                r.event(),
                r.action(),
                userId,
                r.operationUserName(),
                email,
                ip,
                userAgent,
                AuditRecord.V1);
        fits(Column.SPACE_KEY, out.spaceKey());
        fits(Column.PRODUCT, out.product());
        fits(Column.CATEGORY, out.category());
        fits(Column.EVENT, out.event());
        fits(Column.ACTION, out.action());
        fits(Column.OPERATION_USER_ID, out.operationUserId());
        fits(Column.OPERATION_USER_NAME, out.operationUserName());
        fits(Column.OPERATION_USER_EMAIL, out.operationUserEmail());
        fits(Column.IP_ADDRESS, out.ipAddress());
        fits(Column.USER_AGENT, out.userAgent());
        return out;
    }

    /**
     * Checks what a product forwarded: the IP address in {@value #CLIENT_IP_HEADER} (absent or empty is fine) and
     * the length of the user agent in {@value #CLIENT_USER_AGENT_HEADER}, before anything is stored or queued.
     *
     * @throws PayloadRejectedException naming the header
     */
    static void checkForwarded(IngestContext context) throws PayloadRejectedException {
        String ip = context.clientIp();
        if (ip != null && !ip.isEmpty() && !IpAddresses.isValid(ip)) {
            throw new PayloadRejectedException(CLIENT_IP_HEADER, IP_RULE);
        }
        String userAgent = context.clientUserAgent();
        if (userAgent != null && userAgent.length() > Column.USER_AGENT.maxLength()) {
            throw new PayloadRejectedException(
                    CLIENT_USER_AGENT_HEADER,
                    "is longer than " + Column.USER_AGENT.maxLength() + " characters (" + userAgent.length() + ")");
        }
    }

    private static void required(Column column, String value) throws PayloadRejectedException {
        if (value == null || value.isBlank()) {
            throw new PayloadRejectedException(column.columnName(), "is required");
        }
    }

    private static void fits(Column column, String value) throws PayloadRejectedException {
        if (value.length() > column.maxLength()) {
            throw new PayloadRejectedException(
                    column.columnName(),
                    "is longer than " + column.maxLength() + " characters (" + value.length() + ")");
        }
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value;
    }
}
