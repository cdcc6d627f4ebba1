package org.auditlog.rest.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;

/** An access policy that answers as the test sets it, and notes whom it was asked about. */
final class FakePolicy implements AccessPolicy {
    Decision record = Decision.ALLOWED;
    Decision use = Decision.ALLOWED;
    Decision export = Decision.ALLOWED;
    /** Members as {@code spaceKey/userId}; everyone else is no (longer a) member. */
    final Set<String> members = new HashSet<>(Set.of("ACME/u1", "ACME/u2", "OTHER/z1"));

    final List<String> asked = new ArrayList<>();

    @Override
    public Decision mayRecord(String spaceKey) {
        asked.add("mayRecord " + spaceKey);
        return record;
    }

    @Override
    public Decision mayUse(String spaceKey, String userId) {
        asked.add("mayUse " + spaceKey + " " + userId);
        return use;
    }

    @Override
    public Decision mayExport(String spaceKey, String userId) {
        asked.add("mayExport " + spaceKey + " " + userId);
        return export;
    }

    @Override
    public boolean isMember(String spaceKey, String userId) {
        asked.add("isMember " + spaceKey + " " + userId);
        return members.contains(spaceKey + "/" + userId);
    }
}
