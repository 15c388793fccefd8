package io.gantry.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.Gantry;
import io.gantry.node.Guardian;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * A real single-node Gantry cluster in this JVM, on the test Redis, under a key prefix of its own so tests don't
 * see each other's executions. {@link #restart()} starts a new ActorSystem on the same Redis and prefix.
 */
public final class TestNode implements AutoCloseable {
  private final String prefix;
  private final Config extra;
  private ActorSystem<Void> system;

  private TestNode(String prefix, Config extra) {
    this.prefix = prefix;
    this.extra = extra;
    this.system = startSystem();
  }

  /** A node with every role but api; {@code overrides} is HOCON layered over the defaults. */
  public static TestNode start(String overrides) {
    return new TestNode("t" + UUID.randomUUID().toString().substring(0, 8) + ":", ConfigFactory.parseString(overrides));
  }

  public static TestNode start() {
    return start("");
  }

  public static Config config(String prefix, Config extra) {
    String url = TestRedisUrl.get();
    Config base = ConfigFactory.parseString(String.join("\n",
        "gantry.redis.url = \"" + url + "\"",
        "gantry.redis.key-prefix = \"" + prefix + "\"",
        "gantry.persistence.redis.journal.connection.url = \"" + url + "\"",
        "gantry.persistence.redis.journal.connection.key-prefix = \"" + prefix + "\"",
        "gantry.persistence.redis.snapshot.connection.url = \"" + url + "\"",
        "gantry.persistence.redis.snapshot.connection.key-prefix = \"" + prefix + "\"",
        "gantry.persistence.redis.query.connection.url = \"" + url + "\"",
        "gantry.persistence.redis.query.connection.key-prefix = \"" + prefix + "\"",
        "gantry.node.roles = [orchestrator, worker]",
        "gantry.worker.max-concurrency = 4",
        "gantry.worker.work-dir = \"target/test-work\"",
        "pekko.remote.artery.canonical.hostname = 127.0.0.1",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.cluster.roles = [orchestrator, worker]",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "pekko.loglevel = WARNING",
        "pekko.coordinated-shutdown.exit-jvm = off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"));
    return extra.withFallback(base).withFallback(ConfigFactory.load()).resolve();
  }

  private ActorSystem<Void> startSystem() {
    Config config = config(prefix, extra);
    ActorSystem<Void> s = ActorSystem.create(Guardian.create(), "gantry", config);
    Cluster cluster = Cluster.get(s);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("test node did not come up");
      }
      sleep(20);
    }
    return s;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Gantry gantry() {
    return Gantry.get(system);
  }

  public String prefix() {
    return prefix;
  }

  /** Stops this node's ActorSystem (like a crash of the process, minus the OS) and starts a new one. */
  public void restart() {
    ActorTestKit.shutdown(system, Duration.ofSeconds(30));
    system = startSystem();
  }

  @Override
  public void close() {
    ActorTestKit.shutdown(system, Duration.ofSeconds(30));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
