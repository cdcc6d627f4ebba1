package org.auditlog.web.internal;

import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The sign-in page at {@code /}. The path {@code /} belongs to the REST bundle's default servlet (the JSON 404 of
 * every path nothing serves), and Felix HTTP gives the context root to it rather than to a servlet registered for
 * the root alone (the empty pattern), so the page takes the one request {@code GET /} (and {@code HEAD /}) here,
 * before that servlet, and passes every other request on untouched.
 */
@Component(
        service = Filter.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=auditlog-web-root",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED + ":Boolean=true"
        })
public class RootFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String method = req.getMethod();
        if (isRoot(req.getRequestURI()) && ("GET".equals(method) || "HEAD".equals(method))) {
            PageServlet.serve(req, (HttpServletResponse) response, PageServlet.SIGN_IN);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isRoot(String requestUri) {
        return "/".equals(requestUri);
    }
}
