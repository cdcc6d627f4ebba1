package org.auditlog.rest.internal;

import java.io.IOException;
import javax.servlet.RequestDispatcher;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * The error page of every 4xx and 5xx raised inside the servlet context ({@code sendError}, an exception out
 * of a servlet): the JSON error body instead of the container's HTML. Errors Jetty answers before a request
 * reaches the context (a bad request line, headers too large) are {@link JettyTuning}'s error handler's.
 */
@Component(
        service = Servlet.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=4xx",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=5xx",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=auditlog-error-page",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + ":Boolean=true"
        })
public class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : resp.getStatus();
        if (status < 400) {
            status = 500;
        }
        Object message = req.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = message instanceof String m && !m.isBlank() && status < 500 ? m : HttpErrors.detail(status);
        String allow = resp.getHeader("Allow");
        if (allow != null) {
            HttpErrors.write(resp, status, new ErrorBody(HttpErrors.code(status), null, detail), "Allow", allow);
        } else {
            HttpErrors.write(resp, status, new ErrorBody(HttpErrors.code(status), null, detail));
        }
    }
}
