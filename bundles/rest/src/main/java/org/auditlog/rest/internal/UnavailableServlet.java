package org.auditlog.rest.internal;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * Answers {@code /api/*} with 503 and the JSON error body whenever the API itself is not registered:
 * while the server starts, or while the store or the capture service it needs is down. The API servlet
 * has the same pattern and a higher ranking, so it shadows this one as soon as it is up.
 */
@Component(
        service = Servlet.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/api/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=auditlog-api-unavailable",
            Constants.SERVICE_RANKING + ":Integer=-1000"
        })
public class UnavailableServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(503);
        resp.setHeader("Retry-After", "5");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        Json.MAPPER.writeValue(
                resp.getOutputStream(),
                new ErrorBody(
                        "unavailable",
                        null,
                        "the API is not ready (starting, or a part it needs is down); GET /health tells which"));
    }
}
