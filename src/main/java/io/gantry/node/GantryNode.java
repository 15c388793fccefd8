package io.gantry.node;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.ConnectionSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node and blocks until it terminates (SIGTERM runs Pekko's CoordinatedShutdown). */
public final class GantryNode {
  private static final Logger log = LoggerFactory.getLogger(GantryNode.class);
  /** Wiring is local (it does not wait for the cluster); this only bounds a stuck start. */
  private static final Duration WIRING_TIMEOUT = Duration.ofSeconds(60);

  private GantryNode() {}

  public static int run(NodeOptions options) {
    ActorSystem<Void> system = start(options);
    system.getWhenTerminated().toCompletableFuture().join();
    Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
    int code = exitCode(system.settings().config(), reason);
    if (code != 0) {
      log.error("node stopped: {} (exit code {}; a supervisor restarts it, and it joins the cluster again)",
          reason.map(GantryNode::describe).orElse("unknown reason"), code & 0xff);
    } else {
      log.info("node stopped");
    }
    return code;
  }

  /**
   * The exit code Pekko configures for the shutdown's reason ({@code pekko.coordinated-shutdown.reason-overrides}):
   * non-zero when the cluster downed this node or it could not join, so a supervisor restarts it; 0 otherwise.
   */
  static int exitCode(Config config, Optional<CoordinatedShutdown.Reason> reason) {
    if (reason.isEmpty()) {
      return 0;
    }
    String path = "pekko.coordinated-shutdown.reason-overrides.\"" + reason.get().getClass().getName() + "\".exit-code";
    return config.hasPath(path) ? config.getInt(path) : 0;
  }

  private static String describe(CoordinatedShutdown.Reason reason) {
    if (reason == CoordinatedShutdown.clusterDowningReason()) {
      return "the cluster downed this node (Split Brain Resolver decision, or it was unreachable)";
    }
    if (reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
      return "it could not join the cluster";
    }
    return reason.toString();
  }

  /** Starts a node once its Redis answers (a node started before Redis waits for it). */
  public static ActorSystem<Void> start(NodeOptions options) {
    var config = options.config();
    RedisAtStart.await(ConnectionSettings.fromConfig(config.getConfig("gantry.redis")));
    ActorSystem<Void> system = start(config);
    log.info("node started: roles {}, cluster {}:{} over {}, redis {}", config.getStringList("gantry.node.roles"),
        config.getString("gantry.node.host"), config.getInt("gantry.node.port"),
        config.getString("pekko.remote.artery.transport"), redacted(config.getString("gantry.redis.url")));
    return system;
  }

  /**
   * Starts a node from a complete config as it is (an application or a test that builds its own: the cluster
   * settings are not derived from {@code gantry.node}, Redis is not waited for). Returns once the node is wired
   * (sharding of executions and registries started, and what {@code gantry.node.roles} names), so
   * {@code Gantry.get(system)} works at once. An application that only uses the facade runs with no roles.
   */
  public static ActorSystem<Void> start(Config config) {
    CompletableFuture<Done> wired = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(Guardian.create(wired), ClusterConfig.SYSTEM_NAME, config);
    system.getWhenTerminated().thenRun(() -> wired.completeExceptionally(
        new IllegalStateException("the node stopped while it started; its log says why")));
    try {
      wired.get(WIRING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      system.terminate();
      throw new IllegalStateException("interrupted while the node started", e);
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
      throw new IllegalStateException("the node did not start within " + WIRING_TIMEOUT.toSeconds() + " s", e);
    }
    return system;
  }

  /** The Redis URL without its password, for logs. */
  static String redacted(String url) {
    return url.replaceAll("//([^@/]*)@", "//***@");
  }
}
