package org.auditlog.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.osgi.service.component.annotations.Component;

/**
 * {@code GET /api/v1/openapi.json}, with no token: the OpenAPI 3.1 document of the whole API, every request body,
 * answer and error. It is written by hand ({@code openapi.json} beside this class); {@code OpenApiDocumentTest}
 * fails when an operation of the resources is missing from it or one of it has no resource, and the integration
 * tests check every request they send and every answer they get against it.
 */
@Path("v1/openapi.json")
@Component(service = ApiResource.class)
@Access(Access.Who.ANYONE)
public final class OpenApiResource implements ApiResource {
    /** Where the document is, beside this class. */
    static final String DOCUMENT = "openapi.json";

    private static final byte[] BYTES = load();

    @GET
    @Produces("application/json")
    public Response document() {
        // streamed as the bytes they are: JsonWriter would write a byte array as a JSON string
        StreamingOutput body = out -> out.write(BYTES);
        return Response.ok(body, "application/json").build();
    }

    static byte[] load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
