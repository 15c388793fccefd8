package io.gantry.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.gantry.api.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLHandshakeException;

/**
 * A thin JSON client of Gantry's HTTP API that turns every failure into a {@link CliFailure}. Answers are read into
 * the API's own types ({@code io.gantry.api}, {@code io.gantry.protocol}).
 */
final class ApiClient {
  /**
   * Configured like the server's (Pekko's jackson-json: the same modules, unknown properties ignored), so a newer
   * server's extra fields don't break an older CLI; a status value it does not know reads as null (shown blank).
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new ParameterNamesModule())
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
      .build();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

  private final URI server;
  private final String serverName;
  private final String token;
  private final HttpClient http;

  ApiClient(ClientOptions options) {
    this.server = parseServer(options.server);
    this.serverName = options.server.replaceAll("/+$", "");
    this.token = options.token == null || options.token.isBlank() ? null : options.token.trim();
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
    if (options.caFile != null && !options.caFile.isBlank()) {
      http.sslContext(TrustedCa.sslContext(Path.of(options.caFile.trim())));
    }
    this.http = http.build();
  }

  /** An answer with a 2xx status. */
  record Answer(int status, String body) {
    <T> T as(Class<T> type) {
      return as(MAPPER.constructType(type));
    }

    <T> T as(TypeReference<T> type) {
      return as(MAPPER.constructType(type));
    }

    private <T> T as(JavaType type) {
      T value;
      try {
        value = MAPPER.readValue(body, type);
      } catch (JsonParseException e) {
        throw notJson(body);
      } catch (JsonProcessingException e) {
        throw CliFailure.failed("Gantry's answer is not the expected " + type.getRawClass().getSimpleName() + ": "
            + e.getOriginalMessage());
      }
      if (value == null) {
        throw CliFailure.failed("Gantry answered null, not the expected " + type.getRawClass().getSimpleName());
      }
      return value;
    }
  }

  /** {@code notFound}: the message for a 404, or null to show the API's own message. */
  Answer get(String path, String notFound) {
    return send("GET", path, null, notFound);
  }

  /** {@code body}: a JSON tree or one of the API's request records; null sends {@code {}}. */
  Answer post(String path, Object body, String notFound) {
    try {
      return send("POST", path, body == null ? "{}" : MAPPER.writeValueAsString(body), notFound);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getName() + " as JSON", e);
    }
  }

  Answer delete(String path, String notFound) {
    return send("DELETE", path, null, notFound);
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** "?a=1&b=2" from the non-null entries, "" when there are none. */
  static String query(Map<String, Object> params) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((k, v) -> {
      if (v != null) {
        q.add(segment(k) + "=" + segment(String.valueOf(v)));
      }
    });
    return q.toString();
  }

  static Map<String, Object> params() {
    return new LinkedHashMap<>();
  }

  /**
   * Opens a Server-Sent Events stream: the body is read as it arrives (the timeout covers only the headers). A
   * non-2xx answer fails as {@link #get} does; the caller closes the stream.
   */
  InputStream stream(String path, String notFound) {
    HttpRequest.Builder request = request(path, "text/event-stream").GET();
    HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    String body;
    try (InputStream in = response.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      body = "";
    }
    throw failure(status, body, notFound);
  }

  private HttpRequest.Builder request(String path, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", accept);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  private Answer send(String method, String path, String body, String notFound) {
    HttpRequest.Builder request = request(path, "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(status, response.body());
    }
    throw failure(status, response.body(), notFound);
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request.build(), handler);
    } catch (ConnectException e) {
      throw CliFailure.failed("cannot reach Gantry at " + serverName
          + " (is a node running? start one with bin/gantry node)");
    } catch (HttpTimeoutException e) {
      throw CliFailure.failed("Gantry at " + serverName + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      if (e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException) {
        throw CliFailure.failed("TLS with Gantry at " + serverName + " failed (" + e.getMessage() + "): if its "
            + "certificate is signed by your own CA, pass that CA's PEM file with --ca-file (env GANTRY_CA_FILE)");
      }
      throw CliFailure.failed("request to Gantry at " + serverName + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.failed("interrupted");
    }
  }

  /**
   * 4xx caused by what the user sent exit with 2; conflicts, missing things and server trouble with 1. A 404 says
   * {@code notFound} when given.
   */
  private static CliFailure failure(int status, String body, String notFound) {
    boolean badInput = status == 400 || status == 401 || status == 403 || status == 405 || status == 413
        || status == 415 || status == 422;
    String message = status == 404 && notFound != null ? notFound : describeError(status, body);
    return new CliFailure(badInput ? CliFailure.BAD_INPUT : CliFailure.FAILED, message, status);
  }

  static String describeError(int status, String body) {
    ApiError.Body error;
    try {
      ApiError answer = MAPPER.readValue(body, ApiError.class);
      error = answer == null ? null : answer.error();
    } catch (JsonProcessingException e) {
      error = null;
    }
    if (error == null) {
      return "HTTP " + status + ": " + abbreviate(body);
    }
    StringBuilder message = new StringBuilder()
        .append(error.code() != null ? error.code() : "HTTP_" + status).append(": ")
        .append(error.message() != null ? error.message() : "(no message)");
    JsonNode details = error.details() == null ? MAPPER.missingNode() : MAPPER.valueToTree(error.details());
    if (details.isArray()) {
      details.forEach(d -> message.append(System.lineSeparator()).append("  - ")
          .append(d.isTextual() ? d.asText() : d.toString()));
    } else if (details.isObject() && !details.isEmpty()) {
      message.append(System.lineSeparator()).append("  ").append(details);
    }
    return message.toString();
  }

  private static CliFailure notJson(String body) {
    return CliFailure.failed("Gantry answered with something that is not JSON: " + abbreviate(body));
  }

  private static URI parseServer(String server) {
    try {
      URI uri = URI.create(server.endsWith("/") ? server : server + "/");
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw CliFailure.badInput("--server " + server + ": " + e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    String oneLine = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
