package org.auditlog.rest.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.PathTemplate;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * The API's routes as the {@link RequestGate} needs them before Jersey sees a request: for a method and a path,
 * the {@link Access} written on the resource method that serves it. Built from the resource classes with
 * Jersey's own resource model and path templates, tried in Jersey's order (the most literal template first), so
 * that nothing here repeats a path. Jersey still does the real matching; {@link AuthFilter} enforces the access of
 * the method it matched, so a request this table places wrongly is refused there.
 */
final class Routes {
    /** One HTTP method on one path template. */
    record Route(String httpMethod, PathTemplate template, Access access) {}

    /** The access of a path no resource method serves: credentials needed, bodies bounded as control calls. */
    static final Access UNKNOWN = Fallback.class.getAnnotation(Access.class);

    @Access(Access.Who.OPERATOR)
    private static final class Fallback {}

    private final List<Route> routes;

    private Routes(List<Route> routes) {
        this.routes = routes;
    }

    /** The routes of these resource classes. */
    static Routes of(Collection<Class<?>> resourceClasses) {
        List<Route> routes = new ArrayList<>();
        for (Class<?> c : resourceClasses) {
            Resource resource = Resource.from(c);
            if (resource == null) {
                throw new IllegalArgumentException(c.getName() + " is not a JAX-RS resource (no @Path)");
            }
            add(routes, c, "", resource);
        }
        routes.sort(Comparator.comparing(Route::template, UriTemplate.COMPARATOR));
        return new Routes(List.copyOf(routes));
    }

    private static void add(List<Route> routes, Class<?> c, String parent, Resource resource) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod m : resource.getResourceMethods()) {
            routes.add(new Route(
                    m.getHttpMethod(),
                    new PathTemplate(path),
                    access(c, m.getInvocable().getDefinitionMethod())));
        }
        for (Resource child : resource.getChildResources()) {
            add(routes, c, path, child);
        }
    }

    private static String join(String parent, String path) {
        if (path == null || path.isEmpty()) {
            return parent;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        return parent.isEmpty() ? p : (parent.endsWith("/") ? parent + p : parent + "/" + p);
    }

    /** The access written on a resource method, else on its class, else the operator's. */
    static Access access(Class<?> resourceClass, Method method) {
        Access a = written(resourceClass, method);
        return a == null ? UNKNOWN : a;
    }

    /** The access written on a resource method, else on its class; {@code null} if neither says. */
    static Access written(Class<?> resourceClass, Method method) {
        Access a = method == null ? null : method.getAnnotation(Access.class);
        if (a == null && resourceClass != null) {
            a = resourceClass.getAnnotation(Access.class);
        }
        return a;
    }

    /** The access of the method serving a request, and the values of its path's parameters. */
    record Match(Access access, Map<String, String> parameters) {}

    /** The access of the method serving {@code method} on {@code path} (a path below the API, {@code /v1/...}). */
    Access match(String method, String path) {
        return find(method, path).access();
    }

    /** The route serving {@code method} on {@code path}, with its path parameters (none when no route does). */
    Match find(String method, String path) {
        String m = "HEAD".equals(method) ? "GET" : method;
        String p = path == null ? "/" : path;
        boolean options = "OPTIONS".equals(m);
        Match any = null;
        for (Route r : routes) {
            // every request passes here (the gate asks before the body): only a route of the request's method (or
            // any, for OPTIONS) has its template matched, and a map made for it
            boolean sameMethod = r.httpMethod().equals(m);
            if (!sameMethod && (!options || any != null)) {
                continue;
            }
            Map<String, String> parameters = new HashMap<>();
            if (r.template().match(p, parameters)) {
                if (sameMethod) {
                    return new Match(r.access(), parameters);
                }
                any = new Match(r.access(), parameters);
            }
        }
        // OPTIONS (which Jersey answers for every path) asks no more than the path's first method does
        return any != null ? any : new Match(UNKNOWN, Map.of());
    }

    List<Route> all() {
        return routes;
    }
}
