package org.auditlog.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The REST API's configuration, PID {@value #PID}: read by {@link RestApplication} (the gate's limits),
 * {@link RestLimits} (the resources' limits), {@link Sessions} and {@link JettyTuning}.
 */
@ObjectClassDefinition(name = "Auditlog REST API", description = "Limits of the REST API.")
public @interface RestConfig {
    /** The configuration PID operators write in {@code config/org.auditlog.rest.cfg}. */
    String PID = "org.auditlog.rest";

    @AttributeDefinition(
            name = "Max body (bytes)",
            description = "Largest ingest body accepted, in bytes; a larger one is answered 413 " + "body_too_large.",
            min = "1024")
    int maxBodyBytes() default 1024 * 1024;

    @AttributeDefinition(
            name = "Max control body (bytes)",
            description = "Largest body of any other call made with credentials (JSON control "
                    + "calls: tokens, organizations, plans, exports), in bytes; bundle uploads have their own limit "
                    + "(64 MiB).",
            min = "1024")
    int maxControlBodyBytes() default 64 * 1024;

    @AttributeDefinition(
            name = "Max anonymous body (bytes)",
            description = "Largest body of a call made without credentials (the sign-in), in " + "bytes.",
            min = "256")
    int maxAnonymousBodyBytes() default 4096;

    @AttributeDefinition(
            name = "Max buffered (bytes)",
            description = "Most bytes of request bodies held in memory at once, server-wide, "
                    + "while they arrive and are processed; a body that would pass it is answered 503 server_busy.",
            min = "65536")
    long maxBufferedBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(
            name = "Max events per request",
            description = "Most events accepted in one ingest request.",
            min = "1")
    int maxEventsPerRequest() default 1000;

    @AttributeDefinition(name = "Max page size", description = "Largest page of events a query may ask for.", min = "1")
    int maxPageSize() default 1000;

    @AttributeDefinition(
            name = "Default page size",
            description = "Page size of a query that names no limit.",
            min = "1")
    int defaultPageSize() default 100;

    @AttributeDefinition(
            name = "Body timeout (seconds)",
            description = "Seconds a request body may take to arrive in full before the request "
                    + "is answered 408 request_timeout.",
            min = "1")
    int bodyTimeoutSeconds() default 60;

    @AttributeDefinition(
            name = "Anonymous body timeout (seconds)",
            description =
                    "Seconds the body of a call without credentials (the sign-in) may take " + "to arrive in full.",
            min = "1")
    int anonymousBodyTimeoutSeconds() default 10;

    @AttributeDefinition(
            name = "Max concurrent requests per token",
            description = "Most requests of one caller in flight at once (a stored token, the "
                    + "member token of a session, the operator token), answers included; the next is answered 429 "
                    + "too_many_requests.",
            min = "1")
    int maxConcurrentRequestsPerToken() default 16;

    @AttributeDefinition(
            name = "Max concurrent anonymous requests",
            description = "Most requests without credentials (sign-ins, the public keys) in "
                    + "flight at once, server-wide; the next is answered 503 server_busy.",
            min = "1")
    int maxConcurrentAnonymousRequests() default 64;

    @AttributeDefinition(
            name = "Max concurrent ingest",
            description = "Most ingest requests processed at once (their bodies all arrived), "
                    + "server-wide; the next is answered 503 server_busy. Keep it under the HTTP thread pool "
                    + "(org.apache.felix.http.jetty.threadpool.max, 64 by the launcher): about three quarters of it.",
            min = "1")
    int maxConcurrentIngest() default 48;

    @AttributeDefinition(
            name = "Min request data rate (bytes/s)",
            description = "Slowest request body Jetty accepts, in bytes per second, measured from "
                    + "the body's first byte; a slower one is cut off (408 request_timeout). 0: no minimum.",
            min = "0")
    long minRequestDataRate() default 512;

    @AttributeDefinition(
            name = "Min response data rate (bytes/s)",
            description = "Slowest reading of an answer Jetty accepts, in bytes per second (a "
                    + "client that reads a download slower is cut off, and its thread freed). 0: no minimum.",
            min = "0")
    long minResponseDataRate() default 512;

    @AttributeDefinition(
            name = "Max sessions",
            description = "Most browser sessions of the settings page kept at once (in memory); a "
                    + "sign-in beyond is answered 503 too_many_sessions until some expire.",
            min = "1")
    int maxSessions() default 10000;
}
