package org.auditlog.api.stream;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The streams of organizations and the server-wide ones, as their admins manage them. Implemented by the streams
 * bundle, used by the REST bundle, which checks who may call and records each change in the organization's log.
 *
 * <p>{@code spaceKey} is the organization whose streams are meant, or {@code null} for the server-wide streams
 * (the operator's, delivering every organization's log); a stream is found only under its own organization.
 *
 * @since 1.0
 */
@ProviderType
public interface StreamService {
    /** The destination types installed now (their bundles active). */
    Set<String> types();

    /**
     * Creates a stream, {@code active}: it delivers from the start of each log it covers (what retention kept).
     *
     * @throws SettingsRefusedException a member of the request that cannot be accepted ({@code name},
     *     {@code destination.type}, {@code destination.url}, {@code products[1]}, ...), or a
     *     {@link StreamConflictException} when the name is taken
     */
    StreamView create(String spaceKey, StreamRequest request) throws SettingsRefusedException;

    /** The streams, by name. */
    List<StreamView> list(String spaceKey);

    Optional<StreamView> find(String spaceKey, String id);

    /**
     * Replaces a stream's name, destination and filters; its place and state stay (a {@code failing} stream is
     * tried again at once). A secret left out of the destination keeps its stored value.
     */
    Optional<StreamView> update(String spaceKey, String id, StreamRequest request) throws SettingsRefusedException;

    boolean delete(String spaceKey, String id);

    /** Stops delivering, keeping the place; {@code by} is recorded ({@code user:<id>}, {@code operator}). */
    Optional<StreamView> pause(String spaceKey, String id, String by);

    /** Delivers again from where it stopped. */
    Optional<StreamView> resume(String spaceKey, String id);

    /**
     * Sends one test batch (id {@code test-…}, one made-up event that is not in the log, sequence 0) to the
     * destination now and answers how it went; the stream's place and state do not change.
     */
    Optional<Delivery> test(String spaceKey, String id);

    /**
     * Delivers again from a point of retention: from {@code from} (the first event of each product dated at or
     * after it) or from the sequences given per product (the products not named keep their place). Exactly one of
     * the two is given.
     *
     * @throws SettingsRefusedException {@code from} or {@code sequences.<product>} out of range
     */
    Optional<StreamView> replay(String spaceKey, String id, Instant from, Map<String, Long> sequences)
            throws SettingsRefusedException;
}
