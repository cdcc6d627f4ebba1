package org.auditlog.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.store.EventCursor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code nextCursor} of a page of events: where the next page starts, bound to the organization, the
 * caller and the search it was given for, so that a cursor cannot be made by hand or carried to another search
 * (the first page of a search is recorded in the log, the pages that continue it are not: a cursor of one's own
 * making would read the log unrecorded).
 *
 * <p>A cursor is {@code c1.<millis>.<id>.<tag>} in URL-safe base64, the tag the first 16 bytes of an
 * HMAC-SHA256 over all of it. The HMAC key is derived from the server's signing key (a SHA-256 of the Ed25519
 * signature of a fixed text, which is deterministic), so every server sharing the signing key (a cluster)
 * accepts the others' cursors, and a new signing key ends the cursors of the old one (the client searches
 * again).
 */
@Component(service = Cursors.class)
public final class Cursors {
    private static final String VERSION = "c1";
    private static final int TAG_BYTES = 16;

    private final CheckpointService checkpoints;
    private volatile SecretKeySpec key;

    /**
     * The cursors of a server: the key comes from its signing key, which every server of a cluster shares,
     * asked once (at the first cursor).
     */
    @Activate
    public Cursors(@Reference CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** The search a cursor belongs to: organization, caller, filters and query, in a fixed order. */
    record Search(
            String spaceKey,
            String caller,
            String product,
            Instant from,
            Instant to,
            String category,
            String event,
            String user,
            String q) {
        /**
         * Each part as {@code -} when absent or {@code <length>:<text>}: no filter value (one holding a line
         * break, or the word "null") can pass for another part or for an absent filter.
         */
        String text() {
            StringBuilder b = new StringBuilder();
            for (Object part : new Object[] {spaceKey, caller, product, from, to, category, event, user, q}) {
                String t = part == null ? null : part.toString();
                b.append(t == null ? "-" : t.length() + ":" + t).append(';');
            }
            return b.toString();
        }
    }

    String encode(EventCursor cursor, Search search) {
        String position = VERSION + "." + cursor.date().toEpochMilli() + "." + cursor.id();
        String tag = Base64.getUrlEncoder().withoutPadding().encodeToString(tag(position, search));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((position + "." + tag).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The position a cursor names, when this server gave it out for this search.
     *
     * @throws ApiException 400 naming {@code cursor} when it was made, altered, or given for another search
     */
    EventCursor decode(String text, Search search) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = raw.split("\\.", -1);
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw refused();
            }
            String position = parts[0] + "." + parts[1] + "." + parts[2];
            byte[] presented = Base64.getUrlDecoder().decode(parts[3]);
            if (!MessageDigest.isEqual(presented, tag(position, search))) {
                throw refused();
            }
            return new EventCursor(Instant.ofEpochMilli(Long.parseLong(parts[1])), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw refused();
        }
    }

    private static ApiException refused() {
        return ApiException.badRequest(
                "cursor",
                "is not a cursor this server gave out for this search; use "
                        + "nextCursor as given, with the same filters");
    }

    private byte[] tag(String position, Search search) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            mac.update(search.text().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Arrays.copyOf(mac.doFinal(position.getBytes(StandardCharsets.US_ASCII)), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private SecretKeySpec key() throws GeneralSecurityException {
        SecretKeySpec k = key;
        if (k == null) {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(checkpoints.sign("auditlog events cursor key\n").getBytes(StandardCharsets.UTF_8));
            k = new SecretKeySpec(digest, "HmacSHA256");
            key = k;
        }
        return k;
    }
}
