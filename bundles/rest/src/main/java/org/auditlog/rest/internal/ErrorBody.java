package org.auditlog.rest.internal;

/** The JSON body of every 4xx and 5xx answer. */
record ErrorBody(String error, String field, String detail) {}
