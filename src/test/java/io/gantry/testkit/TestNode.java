package io.gantry.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.Gantry;
import io.gantry.node.GantryNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Gantry cluster in this JVM (its {@link Guardian} under an {@link ActorTestKit}), on the test
 * Redis under a key prefix of its own ({@link RedisPrefix}, deleted when the node is closed) so tests don't see each
 * other's executions. As a JUnit 5 extension it starts before and stops after the class (static field) or each test
 * (instance field):
 * <pre>{@code @RegisterExtension static final TestNode node = TestNode.builder().roles("orchestrator").build();}</pre>
 * By hand: {@code try (TestNode node = TestNode.start()) {...}}. {@link #restart()} starts a new ActorSystem on the
 * same Redis and prefix. With the api role it serves HTTP on a loopback port chosen when it is built, so
 * {@link #http()} can be taken before it starts.
 */
public final class TestNode extends ClassOrTestScoped implements AutoCloseable {
  private final String prefix;
  private final boolean ownPrefix;
  private final Config extra;
  private final int httpPort;
  private final String token;
  private final boolean awaitIndex;
  private ActorTestKit testKit;

  private TestNode(Builder b) {
    this.ownPrefix = b.prefix == null;
    this.prefix = ownPrefix ? RedisPrefix.random(callerName()) : b.prefix;
    this.httpPort = b.api ? freePort() : 0;
    this.token = b.token;
    this.awaitIndex = b.awaitIndex;
    List<String> lines = new ArrayList<>();
    if (b.roles != null) {
      String roles = "[" + String.join(", ", b.roles) + "]";
      lines.add("gantry.node.roles = " + roles);
      lines.add("pekko.cluster.roles = " + roles);
    }
    if (b.api) {
      lines.add("gantry.http.host = \"127.0.0.1\"");
      lines.add("gantry.http.port = " + httpPort);
    }
    if (b.token != null) {
      lines.add("gantry.http.auth-token = \"" + b.token + "\"");
    }
    if (b.redisUrl != null) {
      for (String path : List.of("gantry.redis", "gantry.persistence.redis.journal.connection",
          "gantry.persistence.redis.snapshot.connection", "gantry.persistence.redis.query.connection")) {
        lines.add(path + ".url = \"" + b.redisUrl + "\"");
      }
    }
    lines.add(b.config);
    this.extra = ConfigFactory.parseString(String.join("\n", lines));
  }

  /** What a node is: roles, api, token, Redis, prefix, any HOCON; {@link #build} it, then start it or register it. */
  public static final class Builder {
    private List<String> roles;
    private boolean api;
    private String token;
    private String redisUrl;
    private String prefix;
    private boolean awaitIndex;
    private String config = "";

    private Builder() {}

    /** The node's roles (default: orchestrator and worker; api with {@link #api}). */
    public Builder roles(String... roles) {
      this.roles = new ArrayList<>(List.of(roles));
      if (api && !this.roles.contains("api")) {
        this.roles.add("api");
      }
      return this;
    }

    /** The api role too, HTTP on 127.0.0.1 at a free port; the node is started once /health/live answers. */
    public Builder api() {
      this.api = true;
      if (roles == null) {
        roles = new ArrayList<>(List.of("orchestrator", "worker"));
      }
      if (!roles.contains("api")) {
        roles.add("api");
      }
      return this;
    }

    /** {@code gantry.http.auth-token}; {@link TestNode#http()} sends it. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Another Redis than the test Redis (for the application and the three persistence plugins). */
    public Builder redisUrl(String url) {
      this.redisUrl = url;
      return this;
    }

    /** A key prefix shared with something else (it is then not deleted with the node). */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Started only once GET /execute answers too (200, or 401 with a token): the execution index is read. */
    public Builder awaitIndex() {
      this.awaitIndex = true;
      return this;
    }

    /** HOCON layered over the rest. */
    public Builder config(String hocon) {
      this.config = this.config + "\n" + hocon;
      return this;
    }

    /** The node, not started yet. */
    public TestNode build() {
      return new TestNode(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A node with every role but api; {@code overrides} is HOCON layered over the defaults. Started. */
  public static TestNode start(String overrides) {
    return builder().config(overrides).build().start();
  }

  /**
   * A node with every role, api included, serving HTTP on 127.0.0.1 at a free port; {@code overrides} is HOCON
   * layered over that (it may set other roles, an auth token, ...). Returns once the HTTP API answers.
   */
  public static TestNode startWithApi(String overrides) {
    return builder().api().config(overrides).build().start();
  }

  /** Starts the node; with the api role, returns once its HTTP API answers. */
  public TestNode start() {
    testKit = startKit();
    if (httpPort != 0) {
      try {
        awaitHttp();
      } catch (RuntimeException | AssertionError e) {
        close();
        throw e;
      }
    }
    return this;
  }

  /** The HTTP port of a node with the api role. */
  public int httpPort() {
    if (httpPort == 0) {
      throw new IllegalStateException("this node has no api role; build it with TestNode.builder().api()");
    }
    return httpPort;
  }

  /** {@code http://127.0.0.1:<port>} of a node with the api role. */
  public String httpBase() {
    return "http://127.0.0.1:" + httpPort();
  }

  /** A client of this node's HTTP API, sending its token if it has one. */
  public TestHttpClient http() {
    return new TestHttpClient(httpBase(), token);
  }

  /** A TCP port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitHttp() {
    TestHttpClient client = http();
    Await.until(() -> client.get("/health/live").status(), status -> status > 0, Duration.ofSeconds(30),
        "the HTTP API at " + httpBase());
    if (awaitIndex) {
      Await.until(() -> client.get("/execute?limit=1").status(), s -> s == 200 || s == 401, Duration.ofSeconds(20),
          "the HTTP API to answer");
    }
  }

  /** The configuration of a test node under {@code prefix}: {@code extra} over the test defaults over the files. */
  public static Config config(String prefix, Config extra) {
    String url = TestRedisUrl.get();
    List<String> lines = new ArrayList<>();
    for (String path : List.of("gantry.redis", "gantry.persistence.redis.journal.connection",
        "gantry.persistence.redis.snapshot.connection", "gantry.persistence.redis.query.connection")) {
      lines.add(path + ".url = \"" + url + "\"");
      lines.add(path + ".key-prefix = \"" + prefix + "\"");
    }
    lines.addAll(List.of(
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
    return extra.withFallback(ConfigFactory.parseString(String.join("\n", lines))).withFallback(ConfigFactory.load())
        .resolve();
  }

  private ActorTestKit startKit() {
    ActorSystem<Void> s = GantryNode.start(config(prefix, extra));
    Cluster cluster = Cluster.get(s);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        ActorTestKit.shutdown(s, Duration.ofSeconds(30));
        throw new IllegalStateException("test node did not come up");
      }
      sleep(20);
    }
    return ActorTestKit.create(s);
  }

  public ActorSystem<Void> system() {
    @SuppressWarnings("unchecked")
    ActorSystem<Void> s = (ActorSystem<Void>) running().system();
    return s;
  }

  /** Probes and spawned actors on this node's ActorSystem. */
  public ActorTestKit testKit() {
    return running();
  }

  public Gantry gantry() {
    return Gantry.get(system());
  }

  public String prefix() {
    return prefix;
  }

  private ActorTestKit running() {
    if (testKit == null) {
      throw new IllegalStateException("the test node is not started (register it with @RegisterExtension or start it)");
    }
    return testKit;
  }

  /** Stops this node's ActorSystem (like a crash of the process, minus the OS) and starts a new one. */
  public void restart() {
    ActorTestKit.shutdown(running().system(), Duration.ofSeconds(30));
    testKit = startKit();
  }

  /** Stops the ActorSystem and deletes the keys under its own prefix. */
  @Override
  public void close() {
    if (testKit != null) {
      String redisUrl = testKit.system().settings().config().getString("gantry.redis.url");
      ActorTestKit.shutdown(testKit.system(), Duration.ofSeconds(30));
      testKit = null;
      if (ownPrefix) {
        RedisPrefix.deleteKeys(redisUrl, prefix);
      }
    }
  }

  @Override
  void open(ExtensionContext context) {
    start();
  }

  @Override
  void release() {
    close();
  }

  /** The simple name of the class that builds this node, for a readable prefix. */
  private static String callerName() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
            .filter(c -> !c.getPackageName().equals(TestNode.class.getPackageName()))
            .findFirst().map(Class::getSimpleName).orElse("node"));
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
