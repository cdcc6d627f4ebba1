package org.auditlog.streams.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.RecordCursor;
import org.auditlog.api.stream.BatchFile;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.evidence.StreamFiles;

/**
 * Builds a batch's file and signed digest ({@link BatchFile}, format {@value StreamFiles#FORMAT}): the events as
 * gzipped NDJSON lines, then the proof that they are the log's at their sequences: the frontier of the tree where
 * the batch begins, the subtrees of the sequences the stream's filters left out, the consistency proof from where
 * it ends to a signed checkpoint, and that checkpoint. The checkpoint is the tree's latest when it covers the batch,
 * so a stream that keeps up signs about one per batch and one that catches up reuses one for many.
 *
 * <p>Costs, per batch: one read of the record at its first sequence when the filters left it out (its date names
 * the file), a few dozen tile reads for the frontier and the proof, one per run of left-out sequences, and one
 * signature; nothing for the destinations that do not ask.
 */
final class BatchFiles {
    private final AuditStore events;
    private final EvidenceStore evidence;
    private final Supplier<CheckpointService> checkpoints;

    BatchFiles(AuditStore events, EvidenceStore evidence, Supplier<CheckpointService> checkpoints) {
        this.events = events;
        this.evidence = evidence;
        this.checkpoints = checkpoints;
    }

    /**
     * The batch's file.
     *
     * @throws IllegalStateException when it cannot be proven now: no checkpoint service, or the record at its first
     *     sequence is gone (retention removed it since it was read: the next read starts after the gap)
     */
    BatchFile file(StreamBatch batch) {
        CheckpointService signer = checkpoints.get();
        if (signer == null) {
            throw new IllegalStateException(
                    "the evidence service (checkpoints) is not running: the batch cannot be " + "signed now");
        }
        String org = batch.organization();
        String product = batch.product();
        long first = batch.firstSequence();
        long last = batch.lastSequence();
        String name = StreamFiles.name(org, product, firstDate(batch), first, last);

        StringBuilder lines = new StringBuilder(512 * batch.events().size());
        for (StreamEvent e : batch.events()) {
            AuditRecord r = e.record();
            StreamFiles.line(
                    lines,
                    r.id(),
                    r.spaceKey(),
                    r.product(),
                    r.date(),
                    r.category(),
                    r.event(),
                    r.action(),
                    r.operationUserId(),
                    r.operationUserName(),
                    r.operationUserEmail(),
                    r.ipAddress(),
                    r.userAgent(),
                    r.version(),
                    e.sequence());
        }
        byte[] content = gzip(lines.toString().getBytes(StandardCharsets.UTF_8));

        SignedCheckpoint checkpoint = evidence.latestCheckpoint(org, product)
                .filter(c -> c.size() > last)
                .or(() -> signer.latest(org, product))
                .filter(c -> c.size() > last)
                .orElseThrow(() -> new IllegalStateException(
                        "no checkpoint of " + org + "/" + product + " covers sequence " + last));
        List<byte[]> frontier = first == 0 ? List.of() : evidence.range(org, product, 0, first);
        List<StreamFiles.Gap> gaps = new ArrayList<>();
        long next = first;
        for (StreamEvent e : batch.events()) {
            if (e.sequence() > next) {
                gaps.add(new StreamFiles.Gap(next, e.sequence(), evidence.range(org, product, next, e.sequence())));
            }
            next = e.sequence() + 1;
        }
        if (next <= last) {
            gaps.add(new StreamFiles.Gap(next, last + 1, evidence.range(org, product, next, last + 1)));
        }
        List<byte[]> toCheckpoint = checkpoint.size() == last + 1
                ? List.of()
                : evidence.consistencyProof(org, product, last + 1, checkpoint.size());
        String text = StreamFiles.digestText(
                name,
                sha256(content),
                org,
                product,
                batch.streamId(),
                batch.id(),
                first,
                last,
                batch.events().size(),
                origin(checkpoint),
                checkpoint.size(),
                frontier,
                gaps,
                toCheckpoint,
                checkpoint.note());
        byte[] digest = signer.sign(text).getBytes(StandardCharsets.UTF_8);
        return new BatchFile(name, content, name + StreamFiles.DIGEST_SUFFIX, digest);
    }

    /** The date of the record at the batch's first sequence, kept by the filters or not. */
    private Instant firstDate(StreamBatch batch) {
        if (!batch.events().isEmpty() && batch.events().get(0).sequence() == batch.firstSequence()) {
            return batch.events().get(0).record().date();
        }
        try (RecordCursor c = events.sequenced(batch.organization(), batch.product(), batch.firstSequence(), 1)) {
            if (c.hasNext()) {
                AuditRecord r = c.next();
                if (c.sequence() == batch.firstSequence()) {
                    return r.date();
                }
            }
        }
        throw new IllegalStateException("the record at sequence " + batch.firstSequence() + " of "
                + batch.organization() + "/" + batch.product() + " is no longer stored");
    }

    /** The checkpoint's origin: the first line of its note. */
    private static String origin(SignedCheckpoint checkpoint) {
        String note = checkpoint.note();
        int end = note.indexOf('\n');
        return end < 0 ? note : note.substring(0, end);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
    }
}
