package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.function.Predicate;

/** A real node with every role (api included) on a free port, and a JSON client for its HTTP API. */
final class ApiNode extends TestHttpClient implements AutoCloseable {
  final TestNode node;

  private ApiNode(String extraConfig, String token) {
    this(TestNode.startWithApi(extraConfig), token);
  }

  private ApiNode(TestNode node, String token) {
    super(node.httpBase(), token, Duration.ofSeconds(30));
    this.node = node;
    Await.until(() -> get("/execute?limit=1").status(), s -> s == 200 || s == 401, Duration.ofSeconds(20),
        "the HTTP API to answer");
  }

  static ApiNode start() {
    return new ApiNode("", null);
  }

  /** A node with extra HOCON, e.g. a shorter passivation. */
  static ApiNode start(String extraConfig) {
    return new ApiNode(extraConfig, null);
  }

  /** A node with {@code gantry.http.auth-token} set; this client sends the token. */
  static ApiNode withToken(String token) {
    return new ApiNode("gantry.http.auth-token = \"" + token + "\"", token);
  }

  /** POSTs a DAG document to /execute/distributed, asserts 202 and answers its executionId. */
  String submitted(String doc) {
    Answer a = post("/execute/distributed", doc);
    assertEquals(202, a.status(), a::toString);
    return a.json().get("executionId").asText();
  }

  /** Polls GET {@code path} until its JSON satisfies {@code done}. */
  JsonNode until(String path, Predicate<JsonNode> done, String what) {
    return Await.until(() -> get(path).json(), done, Duration.ofSeconds(60), what);
  }

  JsonNode awaitFinished(String executionId) {
    return until("/execute/" + executionId + "/status",
        s -> s.path("status").asText().matches("completed|failed|cancelled"), executionId + " to finish");
  }

  @Override
  public void close() {
    node.close();
  }
}
