package io.gantry.node;

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
    log.info("node stopped");
    return 0;
  }

  public static ActorSystem<Void> start(NodeOptions options) {
    var config = options.config();
    RedisAtStart.await(config.getString("gantry.redis.url"));
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
