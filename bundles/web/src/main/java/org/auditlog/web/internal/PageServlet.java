package org.auditlog.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The pages of the server, as static files from this bundle: the sign-in page at {@code /} (handed over by
 * {@link RootFilter}), the audit log
 * settings page at {@code /orgs/{spaceKey}/settings/audit-log} (the path the mails link to), and their script
 * (ES modules) and style sheet under {@code /assets/}. Everything the pages show comes from the REST API, called by the
 * script with the session cookie; the HTML is the same for every organization, so it tells nothing about any.
 *
 * <p>Only the files named in {@link #ASSETS} are served, so no path of a request ever reaches a file name.
 * Every answer carries a Content-Security-Policy that allows scripts, styles and requests from this origin only
 * (no inline script or style, no framing), {@code X-Content-Type-Options: nosniff} and
 * {@code Referrer-Policy: no-referrer} (a mailed link's token must not leave in a {@code Referer}).
 */
@Component(
        service = Servlet.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/orgs/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/assets/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=auditlog-web",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + ":Boolean=true"
        })
public class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** The settings page's path: the organization's space key, as the API spells it. */
    static final Pattern SETTINGS = Pattern.compile("/([A-Za-z0-9_-]{1,64})/settings/audit-log");

    /** A file of this bundle, read once. */
    record Asset(String contentType, byte[] bytes) {}

    /**
     * The page's script: ES modules ({@code <script type="module" src="/assets/app.js">}, which imports the others by
     * relative URLs under {@code /assets/}). A module added to {@code web/} is served once it is named here.
     */
    static final List<String> MODULES = List.of(
            "app.js",
            "address.js",
            "admins.js",
            "api.js",
            "archives.js",
            "dom.js",
            "events.js",
            "exports.js",
            "facets.js",
            "format.js",
            "histogram.js",
            "query.js",
            "settings.js",
            "signin.js",
            "state.js",
            "streams.js",
            "view.js");

    static final Map<String, Asset> ASSETS = assets();
    static final Asset SIGN_IN = asset("index.html", "text/html; charset=utf-8");
    private static final Asset SETTINGS_PAGE = asset("settings.html", "text/html; charset=utf-8");

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        serve(req, resp, resolve(req.getServletPath(), req.getPathInfo()));
    }

    /** Answers with a file, or the JSON 404 when there is none. */
    static void serve(HttpServletRequest req, HttpServletResponse resp, Asset asset) throws IOException {
        securityHeaders(resp);
        String method = req.getMethod();
        if (asset == null) {
            error(resp, 404, "not_found", "no such page");
            return;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            resp.setHeader("Allow", "GET, HEAD");
            error(resp, 405, "method_not_allowed", "pages are read with GET");
            return;
        }
        resp.setStatus(200);
        resp.setContentType(asset.contentType());
        // pages: never kept (the settings page's address may carry a mailed link's token); assets: revalidated
        resp.setHeader("Cache-Control", asset.contentType().startsWith("text/html") ? "no-store" : "no-cache");
        resp.setContentLength(asset.bytes().length);
        if ("GET".equals(method)) {
            resp.getOutputStream().write(asset.bytes());
        }
    }

    /** The file a path names, or {@code null}. */
    static Asset resolve(String servletPath, String pathInfo) {
        String path = servletPath == null ? "" : servletPath;
        String info = pathInfo == null ? "" : pathInfo;
        if (path.equals("/orgs")) {
            return SETTINGS.matcher(info).matches() ? SETTINGS_PAGE : null;
        }
        if (path.equals("/assets") && info.startsWith("/")) {
            return ASSETS.get(info.substring(1));
        }
        return null;
    }

    static void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** The API's JSON error shape, for a path under the pages that names nothing. */
    private static void error(HttpServletResponse resp, int status, String error, String detail) throws IOException {
        byte[] body = ("{\"error\":\"" + error + "\",\"field\":null,\"detail\":\"" + detail + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static Map<String, Asset> assets() {
        Map<String, Asset> assets = new HashMap<>();
        for (String module : MODULES) {
            // the type browsers require of a module script; nosniff makes them check it
            assets.put(module, asset(module, "text/javascript; charset=utf-8"));
        }
        assets.put("app.css", asset("app.css", "text/css; charset=utf-8"));
        return Map.copyOf(assets);
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = PageServlet.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks web/" + name);
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
