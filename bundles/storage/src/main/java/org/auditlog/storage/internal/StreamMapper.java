package org.auditlog.storage.internal;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.auditlog.api.store.StreamPosition;

/** MyBatis mapper over {@code stream} and {@code stream_position}; statements in {@code StreamMapper.xml}. */
public interface StreamMapper {

    void insert(StreamRow row);

    StreamRow find(@Param("id") String id);

    /** The stream of that name in that scope (an organization, or {@code ""} for the server-wide ones), or null. */
    StreamRow findByName(@Param("nameScope") String nameScope, @Param("name") String name);

    List<StreamRow> list(@Param("nameScope") String nameScope);

    List<StreamRow> all();

    /** Replaces the row when its revision is {@code expectedRevision}; the revision becomes the next one. */
    int update(@Param("row") StreamRow row, @Param("expectedRevision") long expectedRevision);

    int delete(@Param("id") String id);

    int deletePlaces(@Param("id") String id);

    /** The streams of an organization. */
    int deleteOrganization(@Param("spaceKey") String spaceKey);

    /** Every place in the organization's logs, and every place of its streams. */
    int deleteOrganizationPlaces(@Param("spaceKey") String spaceKey);

    List<StreamPosition> positions(@Param("streamId") String streamId);

    /**
     * Makes the place at {@code next} if the stream exists and the place does not; on PostgreSQL 0 when another
     * transaction made it first, on HSQLDB a unique violation.
     */
    int insertPlace(
            @Param("streamId") String streamId,
            @Param("spaceKey") String spaceKey,
            @Param("product") String product,
            @Param("next") long next);

    /** Moves the place from {@code expectedNext} to {@code next} and records a success, clearing its failure. */
    int advance(
            @Param("streamId") String streamId,
            @Param("spaceKey") String spaceKey,
            @Param("product") String product,
            @Param("expectedNext") long expectedNext,
            @Param("next") long next,
            @Param("at") Instant at,
            @Param("lag") long lag);

    int failed(
            @Param("streamId") String streamId,
            @Param("spaceKey") String spaceKey,
            @Param("product") String product,
            @Param("at") Instant at,
            @Param("category") String category,
            @Param("message") String message);

    /** Sets the place to {@code next}, clearing its failure. */
    int moveTo(
            @Param("streamId") String streamId,
            @Param("spaceKey") String spaceKey,
            @Param("product") String product,
            @Param("next") long next);

    int gap(
            @Param("streamId") String streamId,
            @Param("spaceKey") String spaceKey,
            @Param("product") String product,
            @Param("from") long from,
            @Param("to") long to);
}
