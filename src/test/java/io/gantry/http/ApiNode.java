package io.gantry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A real node with every role (api included) on a free port, and a JSON client for its HTTP API. */
final class ApiNode implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final TestNode node;
  final int port;
  private final String token;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Answer(int status, String body, HttpResponse<String> response) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }

    String errorCode() {
      return json().path("error").path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private ApiNode(String extraConfig, String token) {
    this.node = TestNode.startWithApi(extraConfig);
    this.port = node.httpPort();
    this.token = token;
    Await.until(() -> get("/execute?limit=1").status(), s -> s == 200 || s == 401, Duration.ofSeconds(20),
        "the HTTP API to answer");
  }

  static ApiNode start() {
    return new ApiNode("", null);
  }

  /** A node with extra HOCON, e.g. a shorter passivation. */
  static ApiNode start(String extraConfig) {
    return new ApiNode(extraConfig + "\n", null);
  }

  /** A node with {@code gantry.http.auth-token} set; this client sends the token. */
  static ApiNode withToken(String token) {
    return new ApiNode("gantry.http.auth-token = \"" + token + "\"\n", token);
  }

  Answer get(String path) {
    return send("GET", path, null, token);
  }

  Answer post(String path, String body) {
    return send("POST", path, body, token);
  }

  Answer send(String method, String path, String body, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpClient client() {
    return client;
  }

  String base() {
    return "http://127.0.0.1:" + port;
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
