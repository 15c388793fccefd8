package io.gantry.node;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.ConnectionSettings;
import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
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

  public static ActorSystem<Void> start(NodeOptions options) {
    var config = options.config();
    RedisAtStart.await(ConnectionSettings.fromConfig(config.getConfig("gantry.redis")));
    ActorSystem<Void> system = ActorSystem.create(Guardian.create(), ClusterConfig.SYSTEM_NAME, config);
    log.info("node started: roles {}, cluster {}:{}, redis {}", config.getStringList("gantry.node.roles"),
        config.getString("gantry.node.host"), config.getInt("gantry.node.port"),
        redacted(config.getString("gantry.redis.url")));
    return system;
  }

  /** The Redis URL without its password, for logs. */
  static String redacted(String url) {
    return url.replaceAll("//([^@/]*)@", "//***@");
  }
}
