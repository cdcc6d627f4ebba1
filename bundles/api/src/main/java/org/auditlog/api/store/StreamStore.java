package org.auditlog.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The streams (org.auditlog.api.stream) and each one's place in the log of every organization and product it
 * delivers. Secrets arrive and leave encrypted ({@link StoredStream#sealedSecrets()}): the store never sees them in
 * the clear.
 *
 * <p>A stream's place moves on only through {@link #advance}, in the transaction that checks the delivering
 * server still holds the stream's lease at the epoch it took ({@link LeaseStore}): a server that lost the lease
 * while delivering cannot move the place back or forth. A place moves otherwise only by a replay
 * ({@link #moveTo}), and goes with its stream ({@link #delete}, {@link #deleteOrganization}).
 *
 * <p>Times are kept to the millisecond. Implemented by the storage bundle, used by the streams bundle.
 *
 * @since 1.4
 */
@ProviderType
public interface StreamStore {
    /**
     * Stores a new stream (its id chosen by the caller), with the revision it has.
     *
     * @throws DataRefusedException when its id is taken, or its name by another stream of its organization (of a
     *     server-wide stream: by another server-wide stream)
     */
    void create(StoredStream stream);

    Optional<StoredStream> find(String id);

    /** The streams of an organization, or with {@code null} the server-wide ones, by name. */
    List<StoredStream> list(String spaceKey);

    /** Every stream, organizations' and server-wide: the server-wide ones first, then by organization and name. */
    List<StoredStream> all();

    /**
     * Replaces a stream's definition and state (name, type, settings, secrets, filters, state, paused by, updated)
     * when its stored revision is still {@code expectedRevision}; the stored revision becomes {@code
     * expectedRevision + 1} (whatever {@code stream.revision()} says). Its id, organization and creation time stay.
     *
     * @return whether it was replaced (false: changed meanwhile, or gone)
     * @throws DataRefusedException when the new name is another stream's of its organization (or server-wide)
     */
    boolean update(StoredStream stream, long expectedRevision);

    /**
     * Deletes a stream and its places.
     *
     * @return whether it was there
     */
    boolean delete(String id);

    /**
     * Deletes the streams of an organization with their places, and the places of the server-wide streams in that
     * organization's logs (the organization's purge: its logs start again at sequence 0).
     *
     * @return how many streams were deleted
     */
    int deleteOrganization(String spaceKey);

    /**
     * The stream's places, one per organization and product it has delivered or tried to, by organization and
     * product.
     */
    List<StreamPosition> positions(String streamId);

    /**
     * Moves the place of a stream in the log of one organization and product from {@code expectedNext} to {@code
     * next} (the next sequence to deliver) and records a success at {@code at}, if the lease {@code leaseName} is
     * still held by {@code holder} at {@code epoch} and the place is still {@code expectedNext} (a place not stored
     * yet counts as {@code expectedNext}, and is made). The lease is read and locked in the transaction that moves
     * the place, and measured by the database's time ({@link LeaseStore}). A success clears the place's failure
     * ({@link StreamPosition#lastError()}, its category and message, {@link StreamPosition#failingSince()}).
     *
     * @param next at least {@code expectedNext} ({@code expectedNext} itself records a success without a move)
     * @param lag how long the last event delivered waited, from its commit to the destination's acceptance, in
     *     milliseconds, or -1 when unknown
     * @return whether it moved (false: the lease is not held so, the place is elsewhere, or the stream is gone)
     * @throws IllegalArgumentException when {@code expectedNext} is negative or {@code next} below it
     */
    boolean advance(
            String streamId,
            String spaceKey,
            String product,
            long expectedNext,
            long next,
            Instant at,
            long lag,
            String leaseName,
            String holder,
            long epoch);

    /**
     * Records a failed attempt for the place of one organization and product (created at {@code next} if it is
     * not stored yet), without moving it: its category and message (its first 1,000 characters), and when failing
     * began if it had not. Nothing is recorded for a stream that is gone.
     */
    void failed(
            String streamId, String spaceKey, String product, long next, Instant at, String category, String message);

    /**
     * Sets the stream's places in the log of {@code spaceKey} for the products named to the sequence given (a
     * replay), clearing their failures, in one transaction; the places of other products stay. A delivery under
     * way then finds its place moved ({@link #advance} answers false). Nothing is done for a stream that is gone.
     *
     * @throws IllegalArgumentException for a negative sequence
     */
    void moveTo(String streamId, String spaceKey, Map<String, Long> nextByProduct);

    /**
     * Records a gap: sequences {@code from} to {@code to} (included) were removed by retention before delivery. The
     * place keeps only the last gap, and does not move ({@link #advance} moves it past the gap); a place not stored
     * yet is made at {@code from}. {@code at}, when the gap was found, is not kept ({@link StreamPosition} has no
     * field for it). Nothing is recorded for a stream that is gone.
     *
     * @throws IllegalArgumentException when {@code from} is negative or {@code to} below it
     */
    void gap(String streamId, String spaceKey, String product, long from, long to, Instant at);
}
