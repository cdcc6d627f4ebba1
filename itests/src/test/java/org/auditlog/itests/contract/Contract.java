package org.auditlog.itests.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The API's OpenAPI 3.1 document ({@code bundles/rest/.../openapi.json}, which the server serves at
 * {@code /api/v1/openapi.json}) as a contract: every request the tests send and every answer they get is checked
 * against it, so an undocumented field, status or parameter fails the test that met it. The schemas are checked
 * by networknt's JSON Schema validator in the OpenAPI 3.1 dialect (JSON Schema 2020-12); matching a request to
 * its operation (path template, method, parameters, credentials, media type) is done here, as the document says.
 *
 * <p>Its methods take and give only JDK types: in the Pax Exam tests this package is loaded by the application
 * class loader (boot delegation, {@code ServerOptions}), with the validator and its own Jackson, beside the
 * server's bundles.
 */
public final class Contract {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The IRI the document is loaded under, so the schemas' {@code $ref}s resolve inside it. */
    private static final String IRI = "https://auditlog.invalid/openapi.json";

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static volatile Contract instance;

    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    /** A documented operation, as matched: its path template, method, node and the path's parameter values. */
    record Operation(String template, String method, JsonNode node, Map<String, String> pathValues) {
        String name() {
            return node.path("operationId").asText() + " (" + method.toUpperCase(Locale.ROOT) + " " + template + ")";
        }
    }

    private Contract(String text) throws IOException {
        this.document = JSON.readTree(text);
        this.factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                b -> b.metaSchema(OpenApi31.getInstance())
                        .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                        .schemaLoaders(l -> l.schemas(Map.of(IRI, text))));
    }

    /** The document of the source tree (system property {@code auditlog.openapi}), read once. */
    public static Contract get() {
        Contract c = instance;
        if (c == null) {
            synchronized (Contract.class) {
                if (instance == null) {
                    Path file = Path.of(System.getProperty(
                            "auditlog.openapi",
                            "../bundles/rest/src/main/resources/org/auditlog/rest/internal/openapi.json"));
                    try {
                        instance = new Contract(Files.readString(file));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the OpenAPI document " + file.toAbsolutePath(), e);
                    }
                }
                c = instance;
            }
        }
        return c;
    }

    /**
     * The operation a request is, or null: the path templates matching its path, those with more literal
     * segments first (as JAX-RS matches), the first that has its method.
     */
    Operation find(String method, String rawPath) {
        String[] segments = rawPath.split("/", -1);
        List<Map.Entry<String, JsonNode>> matches = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(e -> {
            if (matches(e.getKey().split("/", -1), segments)) {
                matches.add(e);
            }
        });
        matches.sort((a, b) -> Long.compare(literals(b.getKey()), literals(a.getKey())));
        String m = method.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, JsonNode> e : matches) {
            String key = m;
            JsonNode op = e.getValue().get(m);
            if (op == null && m.equals("head")) {
                key = "get"; // HTTP answers HEAD as GET, without the body
                op = e.getValue().get(key);
            }
            if (op != null) {
                Map<String, String> values = new TreeMap<>();
                String[] t = e.getKey().split("/", -1);
                for (int i = 0; i < t.length; i++) {
                    if (t[i].startsWith("{")) {
                        values.put(
                                t[i].substring(1, t[i].length() - 1),
                                URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8));
                    }
                }
                return new Operation(e.getKey(), key, op, values);
            }
        }
        return null;
    }

    /**
     * Whether a request is one the document is about: the API under {@code /api} and {@code /health}. The settings
     * page and its files (every other path) are not part of it.
     */
    private static boolean inScope(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/health") || path.startsWith("/health/");
    }

    private static boolean matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean param = template[i].startsWith("{") && template[i].endsWith("}");
            if (param ? segments[i].isEmpty() : !template[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static long literals(String template) {
        return java.util.Arrays.stream(template.split("/"))
                .filter(s -> !s.startsWith("{"))
                .count();
    }

    /**
     * What is wrong with a request, by the document (empty: nothing). {@code headers} are looked up by
     * lower-case name; {@code body} may be empty.
     */
    public List<String> checkRequest(String method, URI uri, Function<String, String> headers, byte[] body) {
        List<String> problems = new ArrayList<>();
        if ("OPTIONS".equals(method) || !inScope(uri)) {
            return problems; // HTTP's own question, taken on every path (see checkAnswer)
        }
        Operation op = find(method, uri.getRawPath());
        if (op == null) {
            problems.add("no operation " + method + " " + uri.getRawPath() + " in the document");
            return problems;
        }
        // credentials: one of the security requirements, each scheme of it present
        JsonNode security = op.node().get("security");
        if (security != null && security.size() > 0) {
            boolean met = false;
            for (JsonNode requirement : security) {
                boolean all = true;
                for (Iterator<String> names = requirement.fieldNames(); names.hasNext(); ) {
                    all &= present(names.next(), headers);
                }
                met |= all;
            }
            if (!met) {
                problems.add("the credentials of none of " + security + " were sent");
            }
        }
        // parameters
        Map<String, List<String>> query = query(uri.getRawQuery());
        Set<String> declaredQuery = new HashSet<>();
        JsonNode params = op.node().path("parameters");
        for (int i = 0; i < params.size(); i++) {
            JsonNode p = resolve(params.get(i));
            String name = p.get("name").asText();
            String in = p.get("in").asText();
            String value = switch (in) {
                case "path" -> op.pathValues().get(name);
                case "query" -> {
                    declaredQuery.add(name);
                    List<String> values = query.get(name);
                    if (values != null && values.size() > 1) {
                        problems.add("query parameter " + name + " is given " + values.size() + " times");
                    }
                    yield values == null ? null : values.get(0);
                }
                case "header" -> headers.apply(name.toLowerCase(Locale.ROOT));
                default -> null;
            };
            if (value == null) {
                if (p.path("required").asBoolean(false)) {
                    problems.add("the " + in + " parameter " + name + " is required");
                }
                continue;
            }
            String pointer = "/paths/" + escape(op.template()) + "/" + op.method() + "/parameters/" + i + "/schema";
            JsonNode schema = p.get("schema");
            JsonNode instance = TextNode.valueOf(value);
            if (schema.path("type").asText().equals("integer")) {
                try {
                    instance = JSON.getNodeFactory().numberNode(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    problems.add("the " + in + " parameter " + name + " = '" + value + "' is not an integer");
                    continue;
                }
            }
            for (ValidationMessage m : schema(pointer).validate(instance)) {
                problems.add("the " + in + " parameter " + name + " = '" + value + "': " + m.getMessage());
            }
        }
        for (String name : query.keySet()) {
            if (!declaredQuery.contains(name)) {
                problems.add("the query parameter " + name + " is not documented");
            }
        }
        // the body
        JsonNode requestBody = op.node().get("requestBody");
        String type = mediaType(headers.apply("content-type"));
        if (requestBody == null) {
            if (body.length > 0) {
                problems.add("a body is sent, and the operation takes none");
            }
        } else if (body.length == 0 && requestBody.path("required").asBoolean(false)) {
            problems.add("the body is required");
        } else if (body.length > 0) {
            if (type == null || !requestBody.path("content").has(type)) {
                problems.add("Content-Type " + type + " is not one of " + fieldNames(requestBody.path("content")));
            } else if (json(type)) {
                String pointer = "/paths/" + escape(op.template()) + "/" + op.method() + "/requestBody/content/"
                        + escape(type) + "/schema";
                problems.addAll(validate(pointer, new String(body, StandardCharsets.UTF_8), "the body"));
            }
        }
        return problems;
    }

    /**
     * What is wrong with an answer, by the document (empty: nothing). An answer to a request that is no documented
     * operation (a deliberately wrong one) must be a documented error: a JSON body of the schema {@code Error}.
     */
    public List<String> checkAnswer(String method, URI uri, int status, Function<String, String> headers, String body) {
        List<String> problems = new ArrayList<>();
        if (!inScope(uri)) {
            return problems;
        }
        if ("OPTIONS".equals(method) && status < 300) {
            // HTTP's own question, answered on every path by the servlet container or Jersey: what methods it takes
            if (headers.apply("allow") == null) {
                problems.add("an answer " + status + " to OPTIONS without Allow");
            }
            return problems;
        }
        Operation op = find(method, uri.getRawPath());
        String type = mediaType(headers.apply("content-type"));
        if (op == null) {
            if (status < 400) {
                problems.add("an answer " + status + " to " + method + " " + uri.getRawPath()
                        + ", which is no documented operation");
            } else if (!body.isEmpty() || !"HEAD".equals(method)) {
                if (!"application/json".equals(type)) {
                    problems.add("an error answer " + status + " of Content-Type " + type + ", not application/json");
                } else {
                    problems.addAll(validate("/components/schemas/Error", body, "the error body"));
                }
            }
            return problems;
        }
        JsonNode responses = op.node().get("responses");
        String pointer = "/paths/" + escape(op.template()) + "/" + op.method() + "/responses/" + status;
        JsonNode response = responses.get(Integer.toString(status));
        if (response == null) {
            problems.add("status " + status + " is not documented (documented: " + fieldNames(responses) + ")");
            return problems;
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = resolve(response);
        }
        JsonNode content = response.get("content");
        if (body.isEmpty() && (content == null || "HEAD".equals(method) || status == 204)) {
            return problems;
        }
        if (content == null) {
            problems.add("a body is answered where the document says there is none: " + abbreviate(body));
            return problems;
        }
        if (type == null || !content.has(type)) {
            problems.add("Content-Type " + type + " is not one of " + fieldNames(content));
            return problems;
        }
        if (json(type)) {
            problems.addAll(validate(pointer + "/content/" + escape(type) + "/schema", body, "the body"));
        }
        return problems;
    }

    private List<String> validate(String pointer, String text, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            return List.of(what + " is not JSON: " + abbreviate(text));
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema(pointer).validate(node)) {
            problems.add(what + ": " + m.getMessage());
        }
        return problems;
    }

    private JsonSchema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> factory.getSchema(SchemaLocation.of(IRI + "#" + p)));
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private boolean present(String scheme, Function<String, String> headers) {
        JsonNode s = document.at("/components/securitySchemes/" + scheme);
        if ("http".equals(s.path("type").asText())) {
            String authorization = headers.apply("authorization");
            return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        }
        String name = s.path("name").asText();
        if ("cookie".equals(s.path("in").asText())) {
            String cookie = headers.apply("cookie");
            return cookie != null
                    && java.util.Arrays.stream(cookie.split(";"))
                            .map(String::strip)
                            .anyMatch(c -> c.startsWith(name + "="));
        }
        return headers.apply(name.toLowerCase(Locale.ROOT)) != null;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new TreeMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    private static boolean json(String type) {
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static String escape(String pointerPart) {
        return pointerPart.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Throws when there are problems, naming the exchange. */
    public static void require(List<String> problems, String what) {
        if (!problems.isEmpty()) {
            throw new AssertionError(what + " does not follow the OpenAPI document (openapi.json):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** The name of a request's operation for messages: its operationId, or the method and path. */
    public String describe(String method, URI uri) {
        Operation op = find(method, uri.getRawPath());
        return op == null ? method + " " + uri.getRawPath() + " (no documented operation)" : op.name();
    }
}
