package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import org.auditlog.api.access.PolicyException;
import org.junit.jupiter.api.Test;

/** A failure nobody planned for answers 500 with an incident id, never with what its message says. */
class ErrorMappersTest {
    @Test
    void anUnexpectedFailureAnswersAnIncidentIdAndNotItsMessage() {
        RuntimeException failure = new IllegalStateException(
                "SELECT * FROM audit_event WHERE space_key = 'OTHER' failed at /srv/auditlog/data/db");
        Response first = new ErrorMappers.Unexpected().toResponse(failure);
        Response second = new ErrorMappers.Unexpected().toResponse(failure);
        assertEquals(500, first.getStatus());
        ErrorBody body = (ErrorBody) first.getEntity();
        assertEquals("internal_error", body.error());
        assertNull(body.field());
        assertFalse(
                body.detail().contains("SELECT")
                        || body.detail().contains("OTHER")
                        || body.detail().contains("/srv"),
                body.detail());
        assertTrue(
                body.detail().matches("the server failed; the log has the cause under incident [0-9a-f]{12}"),
                body.detail());
        assertNotEquals(body.detail(), ((ErrorBody) second.getEntity()).detail(), "each failure its own incident");
    }

    @Test
    void aPolicyRefusalIsItsKindsStatusWithItsRuleAsTheError() {
        Object[][] kinds = {
            {PolicyException.Kind.INVALID, 400},
            {PolicyException.Kind.FORBIDDEN, 403},
            {PolicyException.Kind.NOT_FOUND, 404},
            {PolicyException.Kind.CONFLICT, 409},
            {PolicyException.Kind.GONE, 410}
        };
        for (Object[] k : kinds) {
            Answer a = Answer.of(() -> {
                throw new PolicyException((PolicyException.Kind) k[0], "some_rule", "some_field", "the rule says no");
            });
            a.assertError((Integer) k[1], "some_rule", "some_field", "the rule says no");
        }
    }

    @Test
    void onlyA401AsksForTheBearerToken() {
        Answer unauthorized = Answer.of(() -> {
            throw new ApiException(401, "unauthorized", "Authorization", "x");
        });
        assertEquals("Bearer realm=\"auditlog\"", unauthorized.header("WWW-Authenticate"));
        Answer forbidden = Answer.of(() -> {
            throw new ApiException(403, "forbidden", null, "x");
        });
        assertNull(forbidden.header("WWW-Authenticate"));
    }

    @Test
    void jaxRsOwnRefusalsComeInTheSameShape() {
        Answer.of(() -> {
                    throw new NotFoundException();
                })
                .assertError(404, "not_found", null, "no such resource");
        Answer notAllowed = Answer.of(() -> {
            throw new NotAllowedException("POST", new String[] {"GET"});
        });
        notAllowed.assertError(405, "method_not_allowed", null);
        assertTrue(notAllowed.header("Allow").contains("GET"), notAllowed.header("Allow"));
        Answer.of(() -> {
                    throw new NotSupportedException();
                })
                .assertError(
                        415,
                        "unsupported_media_type",
                        null,
                        "this Content-Type is not accepted here; send "
                                + "application/json (events also take application/vnd.auditlog.v1+json)");
        Answer.of(() -> {
                    throw new WebApplicationException(406);
                })
                .assertError(406, "not_acceptable", null);
        Answer.of(() -> {
                    throw new WebApplicationException(502);
                })
                .assertError(502, "internal_error", null);
        Answer.of(() -> {
                    throw new WebApplicationException(400);
                })
                .assertError(400, "bad_request", null);
    }
}
