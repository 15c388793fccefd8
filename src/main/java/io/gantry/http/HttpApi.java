package io.gantry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.locks.RedisLocks;
import io.gantry.metrics.GantryMetrics;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.RegistrySettings;
import io.gantry.registry.cluster.HttpWorkerPools;
import io.gantry.worker.remote.RemoteWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/** The HTTP face of a node with the api role: every resource's routes, bound on {@code gantry.http.port}. */
public final class HttpApi {
  private HttpApi() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system) {
    HttpSettings settings = HttpSettings.fromConfig(system.settings().config());
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    JsonSupport json = new JsonSupport(mapper);
    GantryRedis redis = GantryRedis.get(system);
    List<RouteProvider> routes = new ArrayList<>();
    routes.add(LockRoutes.fromConfig(new RedisLocks(redis.connection(), redis.prefix()), json,
        system.settings().config()));
    RemoteWorkers httpWorkers = new RemoteWorkers(system, new FacadeAccess(io.gantry.Gantry.get(system)),
        new HttpWorkerPools(redis));
    routes.add(new WorkerRoutes(httpWorkers, RegistrySettings.from(system.settings().config()), json));
    routes.add(new HealthRoutes(system, httpWorkers, json));
    MetricsSampler.start(system, httpWorkers, GantryMetrics.get(system).registry());
    routes.add(new MetricsRoutes(GantryMetrics.get(system).registry()));
    routes.add(new ExecutionRoutes(io.gantry.Gantry.get(system), json));
    routes.add(QueueRoutes.create(system, json));
    routes.add(new EventStreamRoutes(system, json));
    routes.add(new DashboardRoutes());
    return new GantryHttp(system, settings, json, routes).bind();
  }
}
