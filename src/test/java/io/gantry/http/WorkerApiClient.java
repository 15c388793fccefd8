package io.gantry.http;

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

/** A java.net.http client of a test node's HTTP API, answering status, JSON body and raw text. */
final class WorkerApiClient {
  static final ObjectMapper MAPPER = new ObjectMapper();

  record Answer(int status, JsonNode json, String text, HttpResponse<String> response) {
    String errorCode() {
      return json.path("error").path("code").asText(null);
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  WorkerApiClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  String base() {
    return base;
  }

  Answer get(String path) {
    return call("GET", path, null, token);
  }

  Answer post(String path, String json) {
    return call("POST", path, json, token);
  }

  Answer delete(String path) {
    return call("DELETE", path, null, token);
  }

  Answer call(String method, String path, String json, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), parse(r.body()), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? MissingNode.getInstance() : MAPPER.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
