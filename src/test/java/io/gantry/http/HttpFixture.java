package io.gantry.http;

import com.typesafe.config.ConfigFactory;
import io.gantry.testkit.TestHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/** A real server on a free loopback port with the given routes (no node behind them), and the test client for it. */
final class HttpFixture extends TestHttpClient implements AutoCloseable {
  private final ActorTestKit testKit;
  final JsonSupport json;

  private HttpFixture(ActorTestKit testKit, JsonSupport json, ServerBinding binding) {
    super("http://127.0.0.1:" + binding.localAddress().getPort(), null);
    this.testKit = testKit;
    this.json = json;
  }

  interface RoutesFactory {
    List<RouteProvider> create(JsonSupport json);
  }

  /** {@code gantry.http.max-body} as reference.conf sets it. */
  static final long DEFAULT_MAX_BODY = ConfigFactory.defaultReference().getBytes("gantry.http.max-body");

  static HttpFixture start(String authToken, long maxBody, RoutesFactory routes) throws Exception {
    ActorTestKit testKit = ActorTestKit.create("http-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    JsonSupport json = new JsonSupport(
        JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-json", Optional.empty()));
    HttpSettings settings = new HttpSettings("127.0.0.1", 0, authToken, maxBody, Duration.ofSeconds(5), false);
    try {
      ServerBinding binding = new GantryHttp(testKit.system(), settings, json, routes.create(json)).bind()
          .toCompletableFuture().get();
      return new HttpFixture(testKit, json, binding);
    } catch (Exception e) {
      testKit.shutdownTestKit();
      throw e;
    }
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
