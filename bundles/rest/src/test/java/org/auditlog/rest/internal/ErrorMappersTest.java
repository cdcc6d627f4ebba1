package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.ws.rs.core.Response;

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
        assertFalse(body.detail().contains("SELECT") || body.detail().contains("OTHER") || body.detail().contains("/srv"),
                body.detail());
        assertTrue(body.detail().matches("the server failed; the log has the cause under incident [0-9a-f]{12}"),
                body.detail());
        assertNotEquals(body.detail(), ((ErrorBody) second.getEntity()).detail(), "each failure its own incident");
    }
}
