package org.auditlog.rest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.store.AuditStore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code GET /health}: 200 when every bundle is active and the store, the capture service and the API are
 * up; 503 otherwise. Anyone gets the status alone ({@code {"status":"UP"}}); the operator's token
 * ({@code Authorization: Bearer …}) gets each part and each bundle with its version and state.
 *
 * <p>The store is asked at most once a second ({@link #STORE_CHECK_MILLIS}), by one request at a time; the
 * others take the latest answer, so that a flood of probes takes no connection from the store's write pool.
 */
@Component(
        service = Servlet.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/health",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=auditlog-health"
        })
public class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** How long the store's answer is taken for its health. */
    static final long STORE_CHECK_MILLIS = 1000;

    private final transient BundleContext context;
    private final transient ReentrantLock checking = new ReentrantLock();
    /** The store's latest answer: which store, what it said, and when ({@link System#nanoTime}). */
    private record StoreCheck(AuditStore store, boolean healthy, long at) {}

    private transient volatile StoreCheck lastCheck;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditStore store;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventCapture capture;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=" + RestApplication.SERVLET_NAME
                    + ")")
    private volatile Servlet api;

    /** Who may see the detail: the operator (the same token as the API's, {@link OperatorToken}). */
    private final transient OperatorToken operatorToken;

    @Activate
    public HealthServlet(BundleContext context, @Reference OperatorToken operatorToken) {
        this.context = context;
        this.operatorToken = operatorToken;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean up = true;
        Map<String, Object> body = new LinkedHashMap<>();
        AuditStore s = store;
        boolean storeUp = s != null && storeHealthy(s);
        up &= storeUp;
        EventCapture c = capture;
        up &= c != null;
        Servlet a = api;
        boolean apiUp = a instanceof ApiServlet servlet && servlet.isReady();
        up &= apiUp;
        List<Map<String, Object>> bundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            String state = state(b.getState());
            boolean ok = fragment
                    ? b.getState() == Bundle.RESOLVED || b.getState() == Bundle.ACTIVE
                    : b.getState() == Bundle.ACTIVE;
            up &= ok;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.getBundleId());
            m.put("symbolicName", b.getSymbolicName());
            m.put("version", b.getVersion().toString());
            m.put("state", state);
            bundles.add(m);
        }
        body.put("status", up ? "UP" : "DOWN");
        boolean operator = operatorToken.matches(Authenticator.token(req.getHeader("Authorization")));
        if (!operator) {
            write(resp, up, Map.of("status", up ? "UP" : "DOWN"));
            return;
        }
        body.put("store", storeUp ? "UP" : s == null ? "MISSING" : "DOWN");
        body.put("capture", c == null ? "MISSING" : "UP");
        body.put("products", c == null ? List.of() : c.products());
        body.put("api", a == null ? "MISSING" : apiUp ? "UP" : "NOT_INITIALISED");
        body.put("bundles", bundles);
        write(resp, up, body);
    }

    private static void write(HttpServletResponse resp, boolean up, Map<String, Object> body) throws IOException {
        resp.setStatus(up ? 200 : 503);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        Json.MAPPER.writeValue(resp.getOutputStream(), body);
    }

    /** The store's health, asked of it at most once a second, by one request at a time. */
    private boolean storeHealthy(AuditStore s) {
        StoreCheck last = lastCheck;
        boolean known = last != null && last.store() == s;
        if (known && System.nanoTime() - last.at() < STORE_CHECK_MILLIS * 1_000_000L) {
            return last.healthy();
        }
        if (!checking.tryLock()) {
            return known ? last.healthy() : s.isHealthy();
        }
        try {
            boolean healthy = s.isHealthy();
            lastCheck = new StoreCheck(s, healthy, System.nanoTime());
            return healthy;
        } finally {
            checking.unlock();
        }
    }

    /** TRACE would echo the request back, credentials included: refused (TraceFilter does so on every path). */
    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpErrors.write(
                resp,
                405,
                new ErrorBody("method_not_allowed", null, "TRACE is not served"),
                "Allow",
                "GET, HEAD, OPTIONS");
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) {
        resp.setHeader("Allow", "GET, HEAD, OPTIONS");
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
