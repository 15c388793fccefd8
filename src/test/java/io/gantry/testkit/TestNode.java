package io.gantry.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.Gantry;
import io.gantry.node.GantryNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * {@link #startWithApi} adds the api role, serving HTTP on a free loopback port ({@link #httpBase()}).
 */
public final class TestNode implements AutoCloseable {
  private final String prefix;
  private final Config extra;
  private final int httpPort;
  private ActorSystem<Void> system;

  private TestNode(Config extra, int httpPort) {
    this.prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    this.extra = extra;
    this.httpPort = httpPort;
    this.system = startSystem();
  }

  /** A node with every role but api; {@code overrides} is HOCON layered over the defaults. */
  public static TestNode start(String overrides) {
    return new TestNode(ConfigFactory.parseString(overrides), 0);
  }

  public static TestNode start() {
    return start("");
  }

  /**
   * A node with every role, api included, serving HTTP on 127.0.0.1 at a free port; {@code overrides} is HOCON
   * layered over that (it may set other roles, an auth token, ...). Returns once the HTTP API answers.
   */
  public static TestNode startWithApi(String overrides) {
    int port = freePort();
    TestNode node = new TestNode(ConfigFactory.parseString(String.join("\n",
        "gantry.node.roles = [orchestrator, worker, api]",
        "pekko.cluster.roles = [orchestrator, worker, api]",
        "gantry.http.host = \"127.0.0.1\"",
        "gantry.http.port = " + port,
        overrides)), port);
    try {
      node.awaitHttp();
    } catch (RuntimeException | AssertionError e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** The HTTP port of a node started with {@link #startWithApi}. */
  public int httpPort() {
    if (httpPort == 0) {
      throw new IllegalStateException("this node has no api role; start it with TestNode.startWithApi");
    }
    return httpPort;
  }

  /** {@code http://127.0.0.1:<port>} of a node started with {@link #startWithApi}. */
  public String httpBase() {
    return "http://127.0.0.1:" + httpPort();
  }

  /** A TCP port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until GET /health/live answers (any status: the server is bound). */
  private void awaitHttp() {
    TestHttpClient http = new TestHttpClient(httpBase(), null);
    Await.until(() -> http.get("/health/live").status(), status -> status > 0, Duration.ofSeconds(30),
        "the HTTP API at " + httpBase());
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
    ActorSystem<Void> s = GantryNode.start(config);
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
