package org.auditlog.policy.internal;

import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks that serialise changes to one organization within this process. Locks are shared by space keys with
 * the same hash: a fixed number bounds memory however many organizations there are, and two organizations sharing
 * a lock only wait for each other briefly.
 */
final class OrganizationLocks {
    static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    OrganizationLocks() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock of a key, shared by the keys that differ from it only in case (creating one checks the others). */
    ReentrantLock of(String spaceKey) {
        return locks[Math.floorMod(spaceKey.toUpperCase(Locale.ROOT).hashCode(), STRIPES)];
    }
}
