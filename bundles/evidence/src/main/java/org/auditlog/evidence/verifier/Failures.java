package org.auditlog.evidence.verifier;

import java.util.ArrayList;
import java.util.List;

/** A file's failures, each a sentence: the first {@value #MAX} listed, the others counted. */
final class Failures {
    /** The most failures listed; the others are counted. */
    static final int MAX = 1000;

    private final List<String> listed = new ArrayList<>();
    private long more;

    void add(String message) {
        if (listed.size() < MAX) {
            listed.add(message);
        } else {
            more++;
        }
    }

    boolean isEmpty() {
        return listed.isEmpty();
    }

    /** The failures listed, and a last line counting the others when there are. */
    List<String> list() {
        List<String> out = new ArrayList<>(listed);
        if (more > 0) {
            out.add("and " + more + " more failures (the first " + MAX + " are listed)");
        }
        return List.copyOf(out);
    }
}
