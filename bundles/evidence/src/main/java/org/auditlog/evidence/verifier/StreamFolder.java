package org.auditlog.evidence.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.StreamFiles;

/**
 * Checks a folder of stream files offline (a bucket synced to disk): every {@code *.ndjson.gz} under it with its
 * digest ({@link StreamFileVerifier}); a file without its digest, or a digest without its file, fails. Then, per
 * organization and product, the sequences of the files whose digests verify must leave no hole from the smallest
 * first sequence to the largest last one; files may overlap (a batch delivered again may cover more than before),
 * each verified on its own.
 *
 * <p>The walk is bounded: at most {@value #MAX_ENTRIES} files and folders, folders at most {@value #MAX_DEPTH} deep
 * (the layout is five: organization, product, year, month, day, and a destination's prefix), symbolic links to
 * folders not followed. Each folder is read in name order, so the output is the same at every run; a folder's
 * entries are held while it is walked, each file's sequences until the end (16 bytes a file).
 */
final class StreamFolder {
    /** The most files and folders walked. */
    static final int MAX_ENTRIES = 1_000_000;
    /** How deep folders nest at most under the folder given. */
    static final int MAX_DEPTH = 16;

    private static final String DIGEST_END = StreamFileVerifier.FILE_SUFFIX + StreamFiles.DIGEST_SUFFIX;

    private final Path root;
    private final List<NoteKeys.Verifier> keys;
    private final PrintStream out;
    private final Map<String, Group> groups = new TreeMap<>();
    private long entries;
    private long files;
    private long digests;
    private boolean failed;

    private StreamFolder(Path root, List<NoteKeys.Verifier> keys, PrintStream out) {
        this.root = root;
        this.keys = keys;
        this.out = out;
    }

    /** The files of one organization and product whose digests verify: their sequences and events. */
    private static final class Group {
        final String organization;
        final String product;
        long[] firsts = new long[16];
        long[] lasts = new long[16];
        int count;
        long events;
        boolean failed;

        Group(String organization, String product) {
            this.organization = organization;
            this.product = product;
        }

        void add(long first, long last, long n) {
            if (count == firsts.length) {
                firsts = Arrays.copyOf(firsts, count * 2);
                lasts = Arrays.copyOf(lasts, count * 2);
            }
            firsts[count] = first;
            lasts[count] = last;
            count++;
            events += n;
        }
    }

    /**
     * Verifies every stream file under {@code dir}, prints a {@code FAIL} line per failure and an {@code OK} line per
     * organization and product without any; returns the exit code.
     *
     * @throws FileVerifier.UnreadableException when the folder cannot be walked, passes a bound, or holds no stream
     *     file nor digest
     */
    static int verify(Path dir, List<NoteKeys.Verifier> keys, PrintStream out) throws FileVerifier.UnreadableException {
        StreamFolder v = new StreamFolder(dir, keys, out);
        v.walk(dir, 0);
        if (v.files == 0 && v.digests == 0) {
            throw new FileVerifier.UnreadableException(
                    dir + " holds no stream file (*" + StreamFileVerifier.FILE_SUFFIX + ") and no digest");
        }
        for (Group g : v.groups.values()) {
            v.cover(g);
        }
        return v.failed ? Verify.NOT_VERIFIED : Verify.VERIFIED;
    }

    private void walk(Path dir, int depth) throws FileVerifier.UnreadableException {
        List<Path> here = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                if (++entries > MAX_ENTRIES) {
                    throw new FileVerifier.UnreadableException(root + " holds more than " + MAX_ENTRIES
                            + " files and folders, more than this verifier walks: verify its folders one by one");
                }
                here.add(p);
            }
        } catch (IOException e) {
            throw new FileVerifier.UnreadableException(dir + " cannot be read as a folder: " + e.getMessage());
        }
        here.sort(null);
        for (Path p : here) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (depth + 1 > MAX_DEPTH) {
                    throw new FileVerifier.UnreadableException(root + " nests folders deeper than " + MAX_DEPTH + " ("
                            + shown(p) + "): not a folder of stream files");
                }
                walk(p, depth + 1);
            } else if (name.endsWith(StreamFileVerifier.FILE_SUFFIX)) {
                files++;
                file(p);
            } else if (name.endsWith(DIGEST_END)) {
                digests++;
                Path file = p.resolveSibling(name.substring(0, name.length() - StreamFiles.DIGEST_SUFFIX.length()));
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    failed = true;
                    out.println("FAIL " + shown(p) + ": the file it is the digest of, " + file.getFileName()
                            + ", is not beside it");
                }
            }
        }
    }

    private void file(Path file) {
        String shown = shown(file);
        StreamFileVerifier.Report report;
        try {
            report = StreamFileVerifier.verify(file, keys);
        } catch (FileVerifier.UnreadableException e) {
            failed = true;
            out.println("FAIL " + shown + ": could not be checked: " + e.getMessage());
            return;
        }
        for (String failure : report.failures()) {
            out.println("FAIL " + shown + ": " + failure);
        }
        failed |= !report.ok();
        StreamFileVerifier.Claims c = report.claims();
        if (c != null) {
            Group g = groups.computeIfAbsent(
                    c.organization() + "/" + c.product(), k -> new Group(c.organization(), c.product()));
            g.add(c.first(), c.last(), c.events());
            g.failed |= !report.ok();
        }
    }

    private String shown(Path p) {
        return root.relativize(p).toString();
    }

    /** The holes between a group's files, each a failure; its summary when there is none and every file verified. */
    private void cover(Group g) {
        Integer[] order = new Integer[g.count];
        for (int i = 0; i < g.count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(g.firsts[a], g.firsts[b]));
        long from = g.firsts[order[0]];
        long reach = from; // every sequence before it is in a file
        long overlap = 0;
        boolean holes = false;
        for (int i : order) {
            long first = g.firsts[i];
            long last = g.lasts[i];
            if (first > reach) {
                failed = true;
                holes = true;
                out.println("FAIL " + root + ": sequences " + reach + " to " + (first - 1) + " of " + g.organization
                        + "/" + g.product + " are in no file");
            } else {
                overlap += Math.min(last + 1, reach) - first;
            }
            reach = Math.max(reach, last + 1);
        }
        if (!holes && !g.failed) {
            out.println("OK " + g.organization + " " + g.product + ": sequences " + from + " to " + (reach - 1) + " in "
                    + g.count + (g.count == 1 ? " file, " : " files, ") + g.events + " events"
                    + (overlap > 0
                            ? " (" + overlap + " sequences in more than one file, their events counted in each)"
                            : ""));
        }
    }
}
