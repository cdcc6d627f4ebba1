package org.auditlog.rest.internal;

/** Request limits, from the REST configuration. */
record RestLimits(int maxBodyBytes, int maxEventsPerRequest, int maxPageSize, int defaultPageSize) {
}
