package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The API's OpenAPI document, as the distribution serves it without a token: the very file the tests check every
 * request and answer against, and a valid OpenAPI 3.1 document by the reference parser (swagger-parser v3), which
 * other languages' clients and generators read it with.
 */
public class OpenApiIT {
    static final String TOKEN = "openapi-it-operator-token";
    static ServerProcess server;

    @BeforeClass
    public static void start() throws Exception {
        Path data = Files.createTempDirectory("auditlog-openapi");
        Path log = Files.createTempFile("auditlog-openapi", ".log");
        server = ServerProcess.start(data, ServerOptions.freePort(), TOKEN, log).awaitHealthy();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void theDocumentIsServedWithoutATokenAndIsTheOneTheTestsCheckAgainst() throws Exception {
        Api.Reply r = server.api.get("/api/v1/openapi.json", null);
        assertEquals(r.toString(), 200, r.status());
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String file = Files.readString(Path.of(System.getProperty("auditlog.openapi")));
        assertEquals("the served document is the source tree's openapi.json", file, r.body());
    }

    @Test
    public void theDocumentIsValidOpenApi31() throws Exception {
        String served = server.api.get("/api/v1/openapi.json", null).body();
        SwaggerParseResult result = parse(served);
        assertTrue("read as OpenAPI 3.1", result.isOpenapi31());
        assertEquals("no messages from the parser", List.of(), result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(
                Api.JSON.readTree(served).get("paths").size(),
                result.getOpenAPI().getPaths().size());
        assertTrue(result.getOpenAPI().getComponents().getSecuritySchemes().containsKey("bearer"));
    }

    @Test
    public void theParserWouldNameAFaultOfTheDocument() throws Exception {
        // the same document with an operation that declares no answers, and a parameter with no place: both errors
        ObjectNode broken = (ObjectNode)
                Api.JSON.readTree(server.api.get("/api/v1/openapi.json", null).body());
        ((ObjectNode) broken.at("/paths/~1api~1v1~1products/get")).remove("responses");
        ((ObjectNode) broken.at("/paths/~1api~1v1~1products~1{product}/get/parameters/0")).remove("in");
        List<String> messages = parse(Api.JSON.writeValueAsString(broken)).getMessages();
        assertFalse("the parser names the faults", messages.isEmpty());
        assertTrue(messages.toString(), messages.stream().anyMatch(m -> m.contains("responses")));
    }

    private static SwaggerParseResult parse(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        return new OpenAPIV3Parser().readContents(json, null, options);
    }
}
