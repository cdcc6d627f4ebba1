package org.auditlog.rest.internal;

import java.io.IOException;
import javax.servlet.http.HttpServletResponse;

/**
 * The JSON error body written straight onto a servlet response, for answers given outside Jersey (the ingest
 * gate, error pages, refused methods); and the {@code error} code of a bare HTTP status.
 */
final class HttpErrors {
    private HttpErrors() {}

    /** The stable {@code error} code of a status that comes with no more specific one. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /** A sentence for a status, when the container gave none worth showing. */
    static String detail(int status) {
        return switch (status) {
            case 400 -> "the request is not valid HTTP (request line, URI or headers)";
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed here";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 505 -> "only HTTP/1.0 and HTTP/1.1 are served";
            default -> status >= 500 ? "the server failed" : "the request was refused";
        };
    }

    /** Writes status and JSON body; {@code headers} are name, value, name, value... */
    static void write(HttpServletResponse resp, int status, ErrorBody body, String... headers) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        resp.setStatus(status);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            resp.setHeader(headers[i], headers[i + 1]);
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
