package org.auditlog.rest.internal;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The default servlet ({@code /}): every path no other servlet serves is a 404 with the JSON error body, for
 * every method (TRACE is refused before, by {@link TraceFilter}).
 */
@Component(
        service = Servlet.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=auditlog-not-found",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + ":Boolean=true"
        })
public class NotFoundServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpErrors.write(resp, 404, new ErrorBody("not_found", null, "no such resource"));
    }
}
