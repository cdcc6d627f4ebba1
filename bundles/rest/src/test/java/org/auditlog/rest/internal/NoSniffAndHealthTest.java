package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/** {@code X-Content-Type-Options: nosniff} on every API answer, and what {@code /health} says. */
class NoSniffAndHealthTest {
    @Test
    void everyAnswerCarriesNosniff() {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.add("X-Content-Type-Options", "sniff-away");
        ContainerResponseContext response = (ContainerResponseContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerResponseContext.class}, (p, m, a) -> {
                    if (m.getName().equals("getHeaders")) {
                        return headers;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        new NoSniff().filter(FakeRequest.get("v1/products"), response);
        assertEquals(List.of("nosniff"), headers.get("X-Content-Type-Options"));
    }

    static Bundle bundle(long id, String name, int state, String fragmentHost) {
        Dictionary<String, String> headers = new Hashtable<>();
        if (fragmentHost != null) {
            headers.put("Fragment-Host", fragmentHost);
        }
        return (Bundle) Proxy.newProxyInstance(
                NoSniffAndHealthTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> name;
                    case "getState" -> state;
                    case "getVersion" -> new Version(1, 2, 3);
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** The data folder of the servlet under test; its admin-token is the operator token. */
    static final java.nio.file.Path DATA;

    static {
        try {
            DATA = java.nio.file.Files.createTempDirectory("health");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static BundleContext context(Bundle... bundles) {
        return (BundleContext) Proxy.newProxyInstance(
                NoSniffAndHealthTest.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                    if (m.getName().equals("getBundles")) {
                        return bundles;
                    }
                    if (m.getName().equals("getProperty") && "auditlog.data".equals(a[0])) {
                        return DATA.toString();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    static javax.servlet.http.HttpServletRequest get(String authorization) {
        return (javax.servlet.http.HttpServletRequest) Proxy.newProxyInstance(
                NoSniffAndHealthTest.class.getClassLoader(),
                new Class<?>[] {javax.servlet.http.HttpServletRequest.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getHeader" -> "Authorization".equals(a[0]) ? authorization : null;
                    case "getMethod" -> "GET";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static HealthServlet health(BundleContext context) throws IOException {
        return new HealthServlet(context, new OperatorToken(context));
    }

    static String operatorToken() throws IOException {
        return java.nio.file.Files.readString(DATA.resolve(OperatorToken.FILE)).strip();
    }

    @Test
    void anyoneGetsTheStatusAloneAndAWrongTokenNoMore() throws IOException {
        HealthServlet health = health(context(bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, null)));
        for (String authorization : new String[] {null, "Bearer alo_not-the-operator-token", "Bearer alt_x_y"}) {
            FakeHttp.Response r = new FakeHttp.Response();
            health.doGet(get(authorization), r.proxy());
            assertEquals(503, r.status);
            assertEquals("{\"status\":\"DOWN\"}", r.text(), "no part, bundle or version for " + authorization);
        }
    }

    @Test
    void withoutTheStoreCaptureAndApiTheServerIsDown503AndSaysWhatIsMissing() throws IOException {
        HealthServlet health = health(context(
                bundle(0, "org.apache.felix.framework", Bundle.ACTIVE, null),
                bundle(7, "org.auditlog.product.backlog", Bundle.RESOLVED, null),
                bundle(8, "org.example.fragment", Bundle.RESOLVED, "org.auditlog.product.backlog")));
        FakeHttp.Response r = new FakeHttp.Response();
        health.doGet(get("Bearer " + operatorToken()), r.proxy());
        assertEquals(503, r.status);
        assertEquals("application/json", r.contentType);
        assertEquals("no-store", r.headers.get("Cache-Control"));
        JsonNode b = r.json();
        assertEquals(List.of("status", "store", "capture", "products", "api", "bundles"), EventsResourceTest.names(b));
        assertEquals("DOWN", b.get("status").asText());
        assertEquals("MISSING", b.get("store").asText());
        assertEquals("MISSING", b.get("capture").asText());
        assertEquals("MISSING", b.get("api").asText());
        assertEquals(0, b.get("products").size());
        JsonNode backlog = b.get("bundles").get(1);
        assertEquals(List.of("id", "symbolicName", "version", "state"), EventsResourceTest.names(backlog));
        assertEquals(7, backlog.get("id").asLong());
        assertEquals("RESOLVED", backlog.get("state").asText());
        assertEquals("1.2.3", backlog.get("version").asText());
    }

    @Test
    void bundleStatesAreNamed() {
        assertEquals("ACTIVE", HealthServlet.state(Bundle.ACTIVE));
        assertEquals("RESOLVED", HealthServlet.state(Bundle.RESOLVED));
        assertEquals("INSTALLED", HealthServlet.state(Bundle.INSTALLED));
        assertEquals("STARTING", HealthServlet.state(Bundle.STARTING));
        assertEquals("STOPPING", HealthServlet.state(Bundle.STOPPING));
        assertEquals("UNINSTALLED", HealthServlet.state(Bundle.UNINSTALLED));
    }

    @Test
    void healthRefusesTraceAndSaysWhatItAllows() throws IOException {
        HealthServlet health = health(context());
        FakeHttp.Response trace = new FakeHttp.Response();
        health.doTrace(FakeHttp.request("TRACE", "127.0.0.1", false, Map.of()), trace.proxy());
        assertEquals(405, trace.status);
        assertEquals("GET, HEAD, OPTIONS", trace.headers.get("Allow"));
        assertEquals("method_not_allowed", trace.json().get("error").asText());
        FakeHttp.Response options = new FakeHttp.Response();
        health.doOptions(FakeHttp.request("OPTIONS", "127.0.0.1", false, Map.of()), options.proxy());
        assertEquals("GET, HEAD, OPTIONS", options.headers.get("Allow"));
    }
}
