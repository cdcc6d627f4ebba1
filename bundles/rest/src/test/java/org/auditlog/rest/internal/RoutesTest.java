package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import javax.ws.rs.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * The routes the gate reads before Jersey: each request finds the access written on the method that serves it, by
 * method and path, with the path's parameters; a path or method nothing serves needs the operator.
 */
class RoutesTest {
    final Routes routes = Fixtures.ROUTES;

    void assertAccess(Access.Who who, String method, String path) {
        assertEquals(who, routes.match(method, path).value(), method + " " + path);
    }

    @Test
    void everyResourceMethodOfEveryResourceIsARoute() {
        assertTrue(
                Fixtures.resourceClasses().size() >= 15,
                Fixtures.resourceClasses().toString());
        long methods = Fixtures.resourceClasses().stream()
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .filter(m -> Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)))
                .count();
        assertEquals(methods, routes.all().size(), routes.all().toString());
    }

    @Test
    void routesAreToldApartByMethodAndPath() {
        assertAccess(Access.Who.INGEST_TOKEN, "POST", "/v1/products/Apps/events");
        assertAccess(Access.Who.OPERATOR, "GET", "/v1/products/Apps/events");
        assertAccess(Access.Who.ANY_TOKEN, "GET", "/v1/products");
        assertAccess(Access.Who.ANY_TOKEN, "HEAD", "/v1/products/Apps");
        assertAccess(Access.Who.OPERATOR, "POST", "/v1/admin/bundles");
        assertEquals(
                BundlesResource.MAX_JAR_BYTES,
                routes.match("POST", "/v1/admin/bundles").streamedBody());
        assertEquals(0, routes.match("GET", "/v1/admin/bundles").streamedBody());
        assertAccess(Access.Who.ANYONE, "POST", "/v1/session");
        assertAccess(Access.Who.SESSION, "DELETE", "/v1/session");
        assertAccess(Access.Who.SESSION, "GET", "/v1/session");
        assertAccess(Access.Who.ANYONE, "GET", "/v1/evidence/keys");
        assertAccess(Access.Who.ANYONE, "GET", "/v1/openapi.json");
        assertAccess(Access.Who.OPERATOR, "POST", "/v1/evidence/keys");
        assertAccess(Access.Who.ORGANIZATION_MEMBER, "GET", "/v1/orgs/ACME/events");
        assertAccess(Access.Who.ORGANIZATION_MEMBER, "GET", "/v1/orgs/ACME/archives/202611/Backlog");
        assertAccess(Access.Who.ORGANIZATION_MEMBER, "PUT", "/v1/orgs/ACME/audit-admins/u2");
        assertAccess(Access.Who.MEMBER_TOKEN, "GET", "/v1/downloads/abc");
        assertAccess(Access.Who.MEMBER_TOKEN, "POST", "/v1/downloads/check");
        assertAccess(Access.Who.OPERATOR, "GET", "/v1/admin/orgs/ACME");
        assertAccess(Access.Who.OPERATOR, "POST", "/v1/admin/products/Apps/inbox/7/retry");
        assertAccess(Access.Who.OPERATOR, "GET", "/v1/orgs");
        assertAccess(Access.Who.OPERATOR, "GET", "/v1/unknown");
        assertAccess(Access.Who.OPERATOR, "POST", null);
        // OPTIONS, which Jersey answers on every path, asks what the path's methods ask
        assertAccess(Access.Who.ORGANIZATION_MEMBER, "OPTIONS", "/v1/orgs/ACME/members");
        assertAccess(Access.Who.OPERATOR, "OPTIONS", "/v1/admin/orgs");
    }

    @Test
    void theBodyBoundFollowsWhoMayCall() {
        assertEquals(
                Access.BodyBound.INGEST,
                routes.match("POST", "/v1/products/Apps/events").value().body());
        assertEquals(
                Access.BodyBound.ANONYMOUS,
                routes.match("POST", "/v1/session").value().body());
        assertEquals(
                Access.BodyBound.CONTROL,
                routes.match("POST", "/v1/orgs/ACME/exports").value().body());
        assertEquals(
                Access.BodyBound.CONTROL,
                routes.match("POST", "/v1/nothing").value().body());
    }

    @Test
    void theMatchCarriesThePathsParameters() {
        assertEquals(
                Map.of("spaceKey", "ACME", "month", "202611", "product", "Backlog"),
                routes.find("GET", "/v1/orgs/ACME/archives/202611/Backlog").parameters());
        assertEquals(
                Map.of("product", "Apps"),
                routes.find("POST", "/v1/products/Apps/events").parameters());
    }

    @Test
    void theMostLiteralTemplateWins() {
        // v1/downloads/check is a literal; v1/downloads/{token} would match it too
        assertEquals(Map.of(), routes.find("POST", "/v1/downloads/check").parameters());
    }
}
