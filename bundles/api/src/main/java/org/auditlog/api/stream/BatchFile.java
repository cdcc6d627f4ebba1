package org.auditlog.api.stream;

import java.util.Objects;

/**
 * A batch as a file that proves itself, for a destination that stores files (an object store, a folder): the
 * events as gzipped NDJSON, and a digest signed with the server's checkpoint key that names the file's SHA-256,
 * its organization, product and sequences, and carries the proof that its events are those of the signed log at
 * those sequences and that the sequences the stream's filters left out are accounted for. {@code auditlog-verify
 * verify} checks a file with its digest beside it, or a whole folder of them (docs/evidence.md, "Stream files",
 * defines both formats).
 *
 * <p>The names are relative ({@code <organization>/<product>/<yyyy>/<MM>/<dd>/<first>-<last>.ndjson.gz}, the date
 * the UTC date of the record at the batch's first sequence, the sequences as 20 digits so that names sort in
 * sequence order) and the same at every attempt to deliver the batch: a destination may put a prefix of its own
 * before them, and writing a file again overwrites it with the same bytes' events.
 *
 * @param name the file's name
 * @param content the file: gzip (RFC 1952) of one line of JSON per event, in sequence order
 * @param digestName the digest's name: the file's name and {@code .digest}
 * @param digest the digest: a C2SP signed note, UTF-8
 * @since 1.1
 */
public record BatchFile(String name, byte[] content, String digestName, byte[] digest) {
    public BatchFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(digestName, "digestName");
        Objects.requireNonNull(digest, "digest");
    }

    /** The file's media type. */
    public static final String CONTENT_TYPE = "application/gzip";

    /** The digest's media type. */
    public static final String DIGEST_TYPE = "text/plain; charset=utf-8";
}
