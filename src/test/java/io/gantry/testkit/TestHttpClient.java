package io.gantry.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The one java.net.http client of the tests, for any HTTP face: a node in this JVM ({@link TestNode#http()}), a node
 * JVM ({@link NodeJvm#http()}) or a bare routes server. Each call answers status, body and the raw response; a JSON
 * body is sent with Content-Type application/json, and the token (if any) as bearer. {@link #exchange} is the same
 * call with the raw response and the checked IOException, for loops that poll a node which may be down.
 */
public class TestHttpClient {
  public static final ObjectMapper JSON = new ObjectMapper();

  public record Answer(int status, String body, HttpResponse<String> response) {
    /** The body as JSON (missing for an empty body); fails when it is not JSON. */
    public JsonNode json() {
      if (body == null || body.isBlank()) {
        return MissingNode.getInstance();
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }

    /** error.code of a JSON error answer, "" when there is none. */
    public String errorCode() {
      return json().path("error").path("code").asText();
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final HttpClient client;
  private final String base;
  private final String token;
  private final Duration requestTimeout;

  /** {@code token} (or null) is sent as bearer by {@link #get}, {@link #post}, {@link #delete} and {@link #json}. */
  public TestHttpClient(String base, String token, Duration requestTimeout) {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base, token, requestTimeout);
  }

  public TestHttpClient(String base, String token) {
    this(base, token, Duration.ofSeconds(60));
  }

  private TestHttpClient(HttpClient client, String base, String token, Duration requestTimeout) {
    this.client = client;
    this.base = base;
    this.token = token;
    this.requestTimeout = requestTimeout;
  }

  /** Over a client of the caller's (one that trusts a test CA, say), 60 s per request. */
  public static TestHttpClient over(HttpClient client, String base, String token) {
    return new TestHttpClient(client, base, token, Duration.ofSeconds(60));
  }

  /** The same server and token, another deadline for each request. */
  public TestHttpClient withTimeout(Duration timeout) {
    return new TestHttpClient(client, base, token, timeout);
  }

  public String base() {
    return base;
  }

  public HttpClient client() {
    return client;
  }

  public Answer get(String path) {
    return send("GET", path, null, token);
  }

  public Answer post(String path, String json) {
    return send("POST", path, json, token);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, token);
  }

  /** Any method with a JSON body (none when null), with this client's token. */
  public Answer json(String method, String path, String body) {
    return send(method, path, body, token);
  }

  /** Any method, with {@code bearer} (or none when null) instead of this client's token. */
  public Answer send(String method, String path, String json, String bearer) {
    return send(method, path, json == null ? null : "application/json", json, bearer);
  }

  /** Any method, content type (none when null) and body, with {@code bearer} (or none when null). */
  public Answer send(String method, String path, String contentType, String body, String bearer) {
    try {
      HttpResponse<String> r = exchange(method, path, contentType, body, bearer);
      return new Answer(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The raw exchange: what {@link #send} does, without wrapping a connection failure. */
  public HttpResponse<String> exchange(String method, String path, String contentType, String body, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@link #exchange} with this client's token and a JSON body (none when null). */
  public HttpResponse<String> exchange(String method, String path, String json)
      throws IOException, InterruptedException {
    return exchange(method, path, json == null ? null : "application/json", json, token);
  }

  /** POSTs a DAG document to /execute/distributed, asserts 202 and answers its executionId. */
  public String submitted(String doc) {
    Answer a = post("/execute/distributed", doc);
    assertEquals(202, a.status(), a::toString);
    return a.json().get("executionId").asText();
  }

  /** Polls GET {@code path} until its JSON satisfies {@code done} (60 s). */
  public JsonNode until(String path, Predicate<JsonNode> done, String what) {
    return Await.until(() -> get(path).json(), done, Duration.ofSeconds(60), what);
  }

  /** Polls an execution's status until it is completed, failed or cancelled. */
  public JsonNode awaitFinished(String executionId) {
    return until("/execute/" + executionId + "/status",
        s -> s.path("status").asText().matches("completed|failed|cancelled"), executionId + " to finish");
  }
}
