package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is written by hand: this test keeps it and the resources the same. It reads the JAX-RS
 * annotations of every resource class of this bundle (every class with {@code @Path}), and fails when an operation
 * (method and path template) is in the code but not in the document or the other way round, or when their path
 * and query parameters differ.
 */
class OpenApiDocumentTest {
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}/]+)\\}");

    private final JsonNode document = parse();

    @Test
    void everyOperationOfTheResourcesIsInTheDocumentAndNoOther() throws Exception {
        Map<String, Set<String>> code = operationsInCode();
        Map<String, Set<String>> documented = operationsInDocument();
        assertEquals(
                code.keySet(), documented.keySet(), "operations of the resources (left) and of openapi.json (right)");
        for (Map.Entry<String, Set<String>> e : code.entrySet()) {
            assertEquals(e.getValue(), documented.get(e.getKey()), "path and query parameters of " + e.getKey());
        }
    }

    @Test
    void theDocumentIsOpenApi31WithAnOperationIdAndATagOnEveryOperation() {
        assertEquals("3.1.0", document.get("openapi").asText());
        Set<String> ids = new HashSet<>();
        Set<String> tags = new HashSet<>();
        document.get("tags").forEach(t -> tags.add(t.get("name").asText()));
        forEachOperation((key, operation) -> {
            assertTrue(ids.add(operation.path("operationId").asText()), "a unique operationId on " + key);
            assertFalse(operation.path("operationId").asText().isEmpty(), "an operationId on " + key);
            operation.get("tags").forEach(t -> assertTrue(tags.contains(t.asText()), key + " has a declared tag"));
            assertTrue(operation.path("responses").size() > 0, "answers of " + key);
        });
    }

    @Test
    void everyAnswerObjectForbidsUndocumentedFields() {
        document.get("components").get("schemas").fields().forEachRemaining(e -> {
            JsonNode schema = e.getValue();
            if ("object".equals(schema.path("type").asText()) && schema.has("properties")) {
                assertEquals(false, schema.path("additionalProperties").asBoolean(true), e.getKey());
            }
        });
    }

    /** "METHOD /api/path" to the names of its path and query parameters ("path:spaceKey", "query:limit"). */
    private static Map<String, Set<String>> operationsInCode() throws IOException, URISyntaxException {
        Map<String, Set<String>> out = new TreeMap<>();
        Path classes = Path.of(OpenApiResource.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path dir = classes.resolve(OpenApiResource.class.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(OpenApiResource.class.getPackageName() + "." + name.replace(".class", ""));
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
                javax.ws.rs.Path base = type.getAnnotation(javax.ws.rs.Path.class);
                if (base == null) {
                    continue;
                }
                for (Method m : type.getMethods()) {
                    String verb = httpMethod(m);
                    if (verb == null) {
                        continue;
                    }
                    javax.ws.rs.Path sub = m.getAnnotation(javax.ws.rs.Path.class);
                    String path = "/api/" + strip(base.value()) + (sub == null ? "" : "/" + strip(sub.value()));
                    Set<String> params = new TreeSet<>();
                    for (Annotation[] annotations : m.getParameterAnnotations()) {
                        for (Annotation a : annotations) {
                            if (a instanceof PathParam p) {
                                params.add("path:" + p.value());
                            } else if (a instanceof QueryParam q) {
                                params.add("query:" + q.value());
                            }
                        }
                    }
                    out.put(verb + " " + path, params);
                }
            }
        }
        // /health is a servlet of its own, outside the Jersey application: GET only, no parameters
        out.put("GET /health", Set.of());
        return out;
    }

    private Map<String, Set<String>> operationsInDocument() {
        Map<String, Set<String>> out = new TreeMap<>();
        forEachOperation((key, operation) -> {
            Set<String> params = new TreeSet<>();
            String path = key.substring(key.indexOf(' ') + 1);
            Matcher m = TEMPLATE.matcher(path);
            Set<String> inTemplate = new TreeSet<>();
            while (m.find()) {
                inTemplate.add("path:" + m.group(1));
            }
            operation.path("parameters").forEach(p -> {
                String in = p.get("in").asText();
                if (in.equals("path") || in.equals("query")) {
                    params.add(in + ":" + p.get("name").asText());
                }
            });
            Set<String> declaredPath = new TreeSet<>(params);
            declaredPath.removeIf(p -> !p.startsWith("path:"));
            assertEquals(inTemplate, declaredPath, "path parameters declared for the template of " + key);
            out.put(key, params);
        });
        return out;
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> each) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace")
                        .contains(op.getKey())) {
                    each.accept(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue());
                }
            });
        }
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    private static JsonNode parse() {
        try {
            return Json.MAPPER.readTree(OpenApiResource.load());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
