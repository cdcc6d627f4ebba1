package org.auditlog.policy.internal;

import java.util.ArrayList;
import java.util.List;
import org.auditlog.api.access.OrganizationSnapshot;

/**
 * What a rule made of a snapshot: the new snapshot, whether it differs from the old one (then it must be saved),
 * and the changes to record in the organization's audit log.
 *
 * <p>Changes are kept only when the organization records events before or after the step: recording starts
 * with the event that starts a plan and stops after the one that ends it, and nothing is recorded for an
 * organization whose plan is not running (docs/rules.md section 1).
 *
 * @param snapshot the snapshot after the rule; {@code null} only when there was no organization to begin with
 * @param changed whether {@code snapshot} differs from the snapshot the rule was given
 * @param changes what to record, in order
 */
record Outcome(OrganizationSnapshot snapshot, boolean changed, List<Change> changes) {

    Outcome {
        changes = List.copyOf(changes);
    }

    static Outcome unchanged(OrganizationSnapshot snapshot) {
        return new Outcome(snapshot, false, List.of());
    }

    /** The step from {@code before} (or no organization) to {@code after}, with what it would record. */
    static Outcome of(OrganizationSnapshot before, OrganizationSnapshot after, List<Change> changes) {
        boolean changed = !after.equals(before);
        boolean recorded = records(before) || records(after);
        return new Outcome(after, changed, changed && recorded ? changes : List.of());
    }

    /** This step followed by the next one, which started from this step's snapshot. */
    Outcome then(Outcome next) {
        List<Change> all = new ArrayList<>(changes);
        all.addAll(next.changes());
        return new Outcome(next.snapshot(), changed || next.changed(), all);
    }

    private static boolean records(OrganizationSnapshot s) {
        return s != null
                && s.organization().deleted() == null
                && s.organization().plan().records();
    }
}
