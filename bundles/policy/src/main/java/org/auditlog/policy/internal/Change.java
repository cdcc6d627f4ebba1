package org.auditlog.policy.internal;

/**
 * One thing the rules changed, as it goes into the organization's own audit log: an Apps event.
 *
 * @param bySystem {@code true} when the change is an automatic consequence (a privilege removed because the
 *        plan ended, restored because it restarted, a plan terminated because its grace ran out), recorded as
 *        the System user; {@code false} when it is recorded as the actor who asked for it
 * @param category the Apps category, e.g. {@code Privilege}
 * @param event the Apps event name, e.g. {@code Grant the Audit Log Admin privilege}
 * @param action the description, e.g. {@code Audit Log Admin privilege was granted to bob@acme.example}
 */
record Change(boolean bySystem, String category, String event, String action) {

    static Change byActor(String category, String event, String action) {
        return new Change(false, category, event, action);
    }

    static Change bySystem(String category, String event, String action) {
        return new Change(true, category, event, action);
    }
}
