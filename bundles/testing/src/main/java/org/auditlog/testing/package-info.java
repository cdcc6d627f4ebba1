/**
 * The fakes the bundles' unit tests share, one copy of each: {@link org.auditlog.testing.MemoryAuditStore},
 * {@link org.auditlog.testing.MemoryLeases}, {@link org.auditlog.testing.RecordingCapture} and
 * {@link org.auditlog.testing.SettableClock}; and {@link org.auditlog.testing.AdapterTable}, which drives a product
 * adapter's tests by a table of native examples and the V1 fields they become ({@link org.auditlog.testing.AdapterCase})
 * and a table of the events it refuses ({@link org.auditlog.testing.AdapterRefusal}).
 * Test code only: no bundle depends on it at run time.
 */
package org.auditlog.testing;
