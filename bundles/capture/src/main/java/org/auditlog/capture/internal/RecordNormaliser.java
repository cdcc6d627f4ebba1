package org.auditlog.capture.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import org.auditlog.api.adapter.Actors;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.Column;
import org.auditlog.api.adapter.IngestContext;
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

    private RecordNormaliser() {
    }

    static AuditRecord normalise(AuditRecord r, String product, IngestContext context) throws PayloadRejectedException {
        String spaceKey = r.spaceKey();
        if (context.spaceKey() != null) {
            if (spaceKey != null && !spaceKey.equals(context.spaceKey())) {
                throw new PayloadRejectedException(Column.SPACE_KEY.columnName(),
                        "the ingest token is bound to organization " + context.spaceKey());
            }
            spaceKey = context.spaceKey();
        }
        if (spaceKey == null || spaceKey.isBlank()) {
            throw new PayloadRejectedException(Column.SPACE_KEY.columnName(),
                    "is required: send it in the event, or use an ingest token bound to the organization");
        }
        if (!SPACE_KEY.matcher(spaceKey).matches()) {
            throw new PayloadRejectedException(Column.SPACE_KEY.columnName(),
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
                ? blankIfNull(context.clientUserAgent()) : r.userAgent();
        if (Actors.isSupportOrSystem(r.operationUserName())) {
            userId = "";
            email = "";
            ip = "";
            userAgent = "";
        }
        if (!ip.isEmpty() && !IpAddresses.isValid(ip)) {
            throw new PayloadRejectedException(ipFromRecord ? Column.IP_ADDRESS.columnName() : CLIENT_IP_HEADER, IP_RULE);
        }
        AuditRecord out = new AuditRecord(0, spaceKey, product, date, r.category(),
                r.event(), r.action(), userId, r.operationUserName(), email, ip, userAgent, AuditRecord.V1);
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
            throw new PayloadRejectedException(CLIENT_USER_AGENT_HEADER, "is longer than "
                    + Column.USER_AGENT.maxLength() + " characters (" + userAgent.length() + ")");
        }
    }

    private static void required(Column column, String value) throws PayloadRejectedException {
        if (value == null || value.isBlank()) {
            throw new PayloadRejectedException(column.columnName(), "is required");
        }
    }

    private static void fits(Column column, String value) throws PayloadRejectedException {
        if (value.length() > column.maxLength()) {
            throw new PayloadRejectedException(column.columnName(),
                    "is longer than " + column.maxLength() + " characters (" + value.length() + ")");
        }
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value;
    }
}
