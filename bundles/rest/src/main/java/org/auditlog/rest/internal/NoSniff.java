package org.auditlog.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

/**
 * {@code X-Content-Type-Options: nosniff} on every API answer: a browser takes JSON as JSON and a zip as a zip,
 * never as a page or a script, whatever a stored value in it looks like.
 */
final class NoSniff implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
    }
}
