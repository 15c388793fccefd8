package io.gantry.testkit;

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

/**
 * A java.net.http client of a test node's HTTP API ({@link TestNode#httpBase()}): each call answers status, body
 * and the raw response; a JSON body is sent with Content-Type application/json, and the token (if any) as bearer.
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

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final Duration requestTimeout;

  /** {@code token} (or null) is sent as bearer by {@link #get}, {@link #post} and {@link #delete}. */
  public TestHttpClient(String base, String token, Duration requestTimeout) {
    this.base = base;
    this.token = token;
    this.requestTimeout = requestTimeout;
  }

  public TestHttpClient(String base, String token) {
    this(base, token, Duration.ofSeconds(60));
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

  /** Any method, with {@code bearer} (or none when null) instead of this client's token. */
  public Answer send(String method, String path, String json, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout);
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
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
}
