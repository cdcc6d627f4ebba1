package org.auditlog.rest.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.export.ExportLimitException;
import org.auditlog.api.store.AuditUnavailableException;
import org.auditlog.api.store.DataRefusedException;
import org.auditlog.api.store.StoreBusyException;
import org.auditlog.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into a status and the JSON error body. */
final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private static final SecureRandom INCIDENTS = new SecureRandom();

    private ErrorMappers() {}

    static Response response(int status, ErrorBody body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }

    static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            Response.ResponseBuilder b = Response.status(e.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(e.body());
            if (e.status() == 401) {
                b.header("WWW-Authenticate", "Bearer realm=\"auditlog\"");
            }
            return b.build();
        }
    }

    static final class Rejected implements ExceptionMapper<PayloadRejectedException> {
        @Override
        public Response toResponse(PayloadRejectedException e) {
            return response(
                    400,
                    new ErrorBody(
                            "invalid_field", e.field(), e.field() == null ? e.rule() : e.field() + " " + e.rule()));
        }
    }

    static final class UnknownProduct implements ExceptionMapper<UnknownProductException> {
        @Override
        public Response toResponse(UnknownProductException e) {
            return response(404, new ErrorBody("unknown_product", "product", e.getMessage()));
        }
    }

    static final class Policy implements ExceptionMapper<PolicyException> {
        @Override
        public Response toResponse(PolicyException e) {
            if (e instanceof ExportLimitException limit) {
                // a bound that lifts by itself: 429 and when to ask again (whole seconds, at least 1)
                long seconds = Math.max(1, (limit.retryAfter().toMillis() + 999) / 1000);
                return Response.status(429)
                        .header("Retry-After", Long.toString(seconds))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ErrorBody(e.rule(), e.field(), e.getMessage()))
                        .build();
            }
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case GONE -> 410;
            };
            return response(status, new ErrorBody(e.rule(), e.field(), e.getMessage()));
        }
    }

    static final class Store implements ExceptionMapper<StoreException> {
        @Override
        public Response toResponse(StoreException e) {
            if (e instanceof StoreBusyException busy) {
                return busy(busy);
            }
            if (e instanceof DataRefusedException) {
                // the same records would be refused again: not a 503, which tells the client to retry. The
                // database's message may name hosts, files and tables: it goes to the log under an incident id
                String incident = incident();
                LOG.warn("Store refused records (incident {}): {}", incident, e.getMessage(), e);
                return response(
                        400,
                        new ErrorBody(
                                "refused_by_store",
                                null,
                                "the store refused the records as "
                                        + "data; sending them again will not help (incident " + incident + ")"));
            }
            String incident = incident();
            LOG.warn("Store unavailable (incident {}): {}", incident, e.getMessage(), e);
            return Response.status(503)
                    .header("Retry-After", "5")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(
                            "store_unavailable",
                            null,
                            "the records were not stored: the store cannot " + "write now; retry later (incident "
                                    + incident + ")"))
                    .build();
        }
    }

    /** An audited action refused because its record could not be written: it did not happen; retry. */
    static final class Unaudited implements ExceptionMapper<AuditUnavailableException> {
        @Override
        public Response toResponse(AuditUnavailableException e) {
            return Response.status(503)
                    .header("Retry-After", "5")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody("audit_unavailable", null, e.getMessage() + "; retry later"))
                    .build();
        }
    }

    /**
     * A read the store refused because it is saturated: 503 {@code busy} (no read connection within the bounded
     * wait; retry soon) or {@code query_timeout} (the search ran past the statement timeout; narrow it).
     */
    static Response busy(StoreBusyException e) {
        boolean timeout = e.reason() == StoreBusyException.Reason.QUERY_TIMEOUT;
        LOG.info("Search refused ({}): {}", timeout ? "query_timeout" : "busy", e.getMessage());
        ErrorBody body = timeout
                ? new ErrorBody(
                        "query_timeout",
                        null,
                        e.getMessage() + "; narrow the search (a product, a period, a category) or retry later")
                : new ErrorBody("busy", null, e.getMessage() + "; retry later");
        return Response.status(503)
                .header("Retry-After", timeout ? "10" : "2")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }

    /** JAX-RS' own refusals (no such path, wrong method, unacceptable media type) in the same JSON shape. */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String error = switch (status) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 406 -> "not_acceptable";
                case 415 -> "unsupported_media_type";
                default -> status >= 500 ? "internal_error" : "bad_request";
            };
            String detail = switch (status) {
                case 404 -> "no such resource";
                case 415 ->
                    "this Content-Type is not accepted here; send application/json (events also take "
                            + EventCapture.CANONICAL_MEDIA_TYPE + ")";
                default -> e.getMessage();
            };
            Response.ResponseBuilder b = Response.status(status)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(error, null, detail));
            Object allow = e.getResponse().getHeaders().getFirst("Allow");
            if (allow != null) {
                b.header("Allow", allow);
            }
            return b.build();
        }
    }

    static final class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            return response(500, internalError(LOG, "Request failed", e));
        }
    }

    /**
     * The answer to a failure nobody planned for: its message may quote SQL, a path or another organization's
     * data, so it goes to the log only, with the stack, under a random incident id that the answer gives.
     */
    /** A random id naming one failure in the answer and in the log. */
    static String incident() {
        byte[] id = new byte[6];
        INCIDENTS.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    static ErrorBody internalError(Logger log, String what, Throwable e) {
        String incident = incident();
        log.error("{} (incident {})", what, incident, e);
        return new ErrorBody(
                "internal_error", null, "the server failed; the log has the cause under incident " + incident);
    }
}
