package io.gantry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI document of src/main/resources/openapi.json as the tests read it: its operations with the example
 * values of their parameters and bodies, and its response schemas as JSON Schema 2020-12 validators (the dialect of
 * OpenAPI 3.1), references into {@code #/components} included.
 */
final class OpenApiDocument {
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One operation: {@code method} in capitals, {@code template} as written ({@code /execute/{id}/status}). */
  record Operation(String method, String template, JsonNode node, JsonNode pathItem) {
    /** The template with every parameter written {@code {}}, as {@link RouteSourceScan} writes them. */
    String shape() {
      return method + " " + template.replaceAll("\\{[^}]+}", "{}");
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  private final JsonNode root;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new HashMap<>();

  private OpenApiDocument(JsonNode root) {
    this.root = root;
  }

  /** The document on the classpath, as the node serves it. */
  static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiRoutes.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(OpenApiRoutes.DOCUMENT + " is not on the classpath");
      }
      return new OpenApiDocument(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode root() {
    return root;
  }

  List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (METHODS.contains(op.getKey())) {
        ops.add(new Operation(op.getKey().toUpperCase(), path.getKey(), op.getValue(), path.getValue()));
      }
    }));
    return ops;
  }

  Set<String> shapes() {
    Set<String> shapes = new TreeSet<>();
    operations().forEach(o -> shapes.add(o.shape()));
    return shapes;
  }

  Operation operation(String method, String template) {
    return operations().stream().filter(o -> o.method().equals(method) && o.template().equals(template)).findFirst()
        .orElseThrow(() -> new AssertionError("the document has no " + method + " " + template));
  }

  /** The operation's path with each path parameter replaced by its example, URL-encoded. */
  String examplePath(Operation op) {
    String path = op.template();
    for (JsonNode p : parameters(op)) {
      if ("path".equals(p.path("in").asText())) {
        JsonNode example = p.get("example");
        if (example == null) {
          throw new AssertionError(op + ": path parameter " + p.path("name").asText() + " has no example");
        }
        path = path.replace("{" + p.path("name").asText() + "}",
            java.net.URLEncoder.encode(example.asText(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return path;
  }

  /** The example of the operation's JSON request body, if it has one. */
  Optional<JsonNode> exampleBody(Operation op) {
    return Optional.ofNullable(resolve(op.node().path("requestBody")).path("content").path("application/json")
        .get("example"));
  }

  /** Path-level and operation-level parameters, references resolved. */
  List<JsonNode> parameters(Operation op) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode source : List.of(op.pathItem().path("parameters"), op.node().path("parameters"))) {
      source.forEach(p -> all.add(resolve(p)));
    }
    return all;
  }

  /** The documented response of {@code op} for {@code status}, references resolved, if it is documented. */
  Optional<JsonNode> response(Operation op, int status) {
    JsonNode r = op.node().path("responses").get(Integer.toString(status));
    return r == null ? Optional.empty() : Optional.of(resolve(r));
  }

  Set<String> statuses(Operation op) {
    Set<String> statuses = new TreeSet<>();
    op.node().path("responses").fieldNames().forEachRemaining(statuses::add);
    return statuses;
  }

  /** Every validation error of {@code body} against the JSON schema of {@code response}'s {@code mediaType}. */
  List<String> errors(JsonNode response, String mediaType, JsonNode body) {
    JsonNode schema = response.path("content").path(mediaType).get("schema");
    if (schema == null) {
      return List.of("the response has no " + mediaType + " schema");
    }
    return validate(schema, body);
  }

  /** Every validation error of {@code value} against {@code schema}, which may refer into #/components. */
  List<String> validate(JsonNode schema, JsonNode value) {
    Schema compiled = schemas.computeIfAbsent(schema.toString(), key -> {
      ObjectNode wrapper = JSON.createObjectNode();
      wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      wrapper.set("components", root.path("components"));
      wrapper.putArray("allOf").add(schema);
      return registry.getSchema(wrapper);
    });
    List<String> errors = new ArrayList<>();
    for (Error e : compiled.validate(value)) {
      errors.add(e.toString());
    }
    return errors;
  }

  /** Every example in a media type or schema under {@code node}, with where it is and its schema. */
  record Example(String where, JsonNode schema, JsonNode value) {}

  List<Example> examples() {
    List<Example> out = new ArrayList<>();
    collect(root, "#", out);
    return out;
  }

  private void collect(JsonNode node, String where, List<Example> out) {
    if (node.isObject()) {
      if (node.has("schema") && node.has("example") && where.contains("application~1json")) {
        out.add(new Example(where, node.get("schema"), node.get("example")));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(e.getValue(), where + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), where + "/" + i, out);
      }
    }
  }

  /** A {@code $ref} into this document followed (one level at a time, until a node without one). */
  JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    while (n != null && n.has("$ref")) {
      String ref = n.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new AssertionError("only local references are expected: " + ref);
      }
      n = root.at(ref.substring(1));
      if (n.isMissingNode()) {
        throw new AssertionError("dangling reference " + ref);
      }
    }
    return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
  }
}
