package io.gantry.http;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/** A real server on a free loopback port with the given routes, and a java.net.http client for it. */
final class HttpFixture implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final HttpClient client = HttpClient.newHttpClient();
  final JsonSupport json;

  record Answer(int status, String body, HttpResponse<String> response) {
  }

  private HttpFixture(HttpSettings settings, RoutesFactory routes) throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "http-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    json = new JsonSupport(JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty()));
    binding = new GantryHttp(system, settings, json, routes.create(json)).bind()
        .toCompletableFuture().get();
  }

  interface RoutesFactory {
    List<RouteProvider> create(JsonSupport json);
  }

  /** {@code gantry.http.max-body} as reference.conf sets it. */
  static final long DEFAULT_MAX_BODY = ConfigFactory.defaultReference().getBytes("gantry.http.max-body");

  static HttpFixture start(String authToken, long maxBody, RoutesFactory routes) throws Exception {
    return new HttpFixture(new HttpSettings("127.0.0.1", 0, authToken, maxBody, Duration.ofSeconds(5)), routes);
  }

  Answer send(String method, String path, String contentType, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), r);
  }

  Answer json(String method, String path, String body) throws IOException, InterruptedException {
    return send(method, path, body == null ? null : "application/json", body, null);
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
