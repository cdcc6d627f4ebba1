package org.auditlog.rest.internal;

import java.io.IOException;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The REST API as one servlet: the {@link RequestGate} in front of a Jersey application. Made and published on the
 * HTTP whiteboard under {@code /api} by {@link RestApplication} once every resource is there.
 */
final class ApiServlet extends ServletContainer {
    private static final long serialVersionUID = 1L;

    /** Set once Jersey has initialised the application; until then (or if that failed) the API is not up. */
    private volatile boolean ready;
    /** Every request passes it before its body is read; replaced when the REST configuration changes. */
    private transient volatile RequestGate gate;

    ApiServlet(ResourceConfig application, RequestGate gate) {
        super(application);
        this.gate = gate;
    }

    /** Every request passes the gate first (credentials, limits, the body read without a thread). */
    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        gate.handle((HttpServletRequest) request, (HttpServletResponse) response, (q, r) -> super.service(q, r));
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        // Jersey looks up its own services through the thread context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ApiServlet.class.getClassLoader());
        try {
            super.init(config);
            ready = true;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void destroy() {
        ready = false;
        super.destroy();
    }

    /** Whether the application initialised and serves requests. */
    boolean isReady() {
        return ready;
    }

    /** Requests from now on pass {@code next}; those in flight finish with the gate they came through. */
    void replaceGate(RequestGate next) {
        this.gate = next;
    }
}
