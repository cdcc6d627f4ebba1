/**
 * The fakes the bundles' unit tests share, one copy of each: {@link org.auditlog.testing.MemoryAuditStore},
 * {@link org.auditlog.testing.MemoryLeases}, {@link org.auditlog.testing.RecordingCapture} and
 * {@link org.auditlog.testing.SettableClock}.
 * Test code only: no bundle depends on it at run time.
 */
package org.auditlog.testing;
