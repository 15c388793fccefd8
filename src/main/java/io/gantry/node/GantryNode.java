package io.gantry.node;

import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a node and blocks until it terminates (SIGTERM runs Pekko's CoordinatedShutdown). */
public final class GantryNode {
  private static final Logger log = LoggerFactory.getLogger(GantryNode.class);

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
    RedisAtStart.await(config.getString("gantry.redis.url"));
    ActorSystem<Void> system = ActorSystem.create(guardian(), ClusterConfig.SYSTEM_NAME, config);
    log.info("node started: roles {}, cluster {}:{}, redis {}", config.getStringList("gantry.node.roles"),
        config.getString("gantry.node.host"), config.getInt("gantry.node.port"),
        redacted(config.getString("gantry.redis.url")));
    return system;
  }

  /**
   * The root behavior of a node, for an application (or a test) that creates the ActorSystem itself, named
   * {@code gantry}, with a complete config (reference.conf's {@code gantry} block and its own settings): it starts
   * sharding of executions and registries, and whatever {@code gantry.node.roles} names. An application that only
   * uses {@code Gantry.get(system)} runs it with no roles.
   */
  public static Behavior<Void> guardian() {
    return Guardian.create();
  }

  /** The Redis URL without its password, for logs. */
  static String redacted(String url) {
    return url.replaceAll("//([^@/]*)@", "//***@");
  }
}
