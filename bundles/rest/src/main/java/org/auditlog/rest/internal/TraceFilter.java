package org.auditlog.rest.internal;

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
 * Refuses {@code TRACE} on every path with 405: it would echo the request, credentials included, back to
 * whoever can make a browser send it. (With {@link NotFoundServlet} on {@code /}, every path has a servlet, so
 * this filter sees every request.)
 */
@Component(
        service = Filter.class,
        property = {
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=auditlog-no-trace",
            HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_ASYNC_SUPPORTED + ":Boolean=true"
        })
public class TraceFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("TRACE".equals(((HttpServletRequest) request).getMethod())) {
            HttpErrors.write(
                    (HttpServletResponse) response,
                    405,
                    new ErrorBody("method_not_allowed", null, "TRACE is not served"));
            return;
        }
        chain.doFilter(request, response);
    }
}
