package io.gantry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.gantry.Gantry;
import io.gantry.execution.ExecutionEvents;
import io.gantry.execution.ExecutionIndex;
import io.gantry.execution.Retention;
import io.gantry.internal.Asking;
import io.gantry.locks.RedisLocks;
import io.gantry.metrics.GantryMetrics;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.RegistrySettings;
import io.gantry.registry.cluster.HttpWorkerPools;
import io.gantry.worker.remote.RemoteWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a node with the api role: every resource's routes, bound on {@code gantry.http.port}. The node's
 * guardian starts it with what the routes need beyond the {@link Gantry} facade.
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private HttpApi() {}

  /**
   * Why the configured HTTP binding must not start, if so: an address open to the network with no token, or a
   * malformed token configuration (ApiTokens).
   */
  public static Optional<String> refusal(Config config) {
    try {
      return HttpSettings.fromConfig(config).refusal();
    } catch (IllegalArgumentException badTokens) {
      return Optional.of(badTokens.getMessage());
    }
  }

  /** Opens the configured HTTPS keystore, if any: IllegalArgumentException naming the setting when it cannot. */
  public static void checkTls(Config config) {
    HttpsSettings.fromConfig(config).ifPresent(HttpsSettings::sslContext);
  }

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ExecutionIndex index, Retention retention,
      RegistrySettings registrySettings) {
    HttpSettings settings;
    try {
      settings = HttpSettings.fromConfig(system.settings().config());
    } catch (IllegalArgumentException badTokens) {
      return notStarted(badTokens.getMessage());
    }
    Optional<String> refused = settings.refusal();
    if (refused.isPresent()) {
      return notStarted(refused.get());
    }
    settings.exposure().ifPresent(log::warn);
    if (settings.authEnabled()) {
      log.info("HTTP API tokens: {}", settings.tokens().describe());
      settings.tokens().weak().forEach(name -> log.warn("token '{}' is shorter than {} characters: use a random one "
          + "(openssl rand -hex 32)", name, ApiTokens.RECOMMENDED_LENGTH));
    }
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    JsonSupport json = new JsonSupport(mapper);
    GantryRedis redis = GantryRedis.get(system);
    List<RouteProvider> routes = new ArrayList<>();
    routes.add(LockRoutes.fromConfig(new RedisLocks(redis.connection(), redis.prefix()), json,
        system.settings().config()));
    Gantry gantry = Gantry.get(system);
    RemoteWorkers httpWorkers = new RemoteWorkers(system,
        new FacadeAccess(gantry, new Asking(system, settings.askTimeout())), new HttpWorkerPools(redis));
    routes.add(new WorkerRoutes(httpWorkers, registrySettings, json));
    routes.add(new HealthRoutes(system, httpWorkers, json));
    MetricsSampler.start(system, httpWorkers, GantryMetrics.get(system).registry());
    routes.add(new MetricsRoutes(GantryMetrics.get(system).registry()));
    routes.add(new ExecutionRoutes(gantry, json));
    routes.add(new QueueRoutes(gantry, json, index, new LiveJobScan(gantry, index, system), retention));
    routes.add(new EventStreamRoutes(gantry, new ExecutionEvents(system, gantry::status), json));
    routes.add(new DashboardRoutes());
    routes.add(new OpenApiRoutes());
    routes.add(new RunPageRoutes());
    return new GantryHttp(system, settings, json, routes).bind();
  }

  private static CompletionStage<ServerBinding> notStarted(String why) {
    log.error("HTTP API not started: {}", why);
    return CompletableFuture.failedFuture(new IllegalStateException(why));
  }
}
