package io.gantry.testkit;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Gantry node in a JVM of its own ({@code io.gantry.main.Main node --config FILE}), for the multi-process tests: built from a
 * {@link Spec} into {@code ROOT/NAME/} (node.conf, node.log appended to across restarts, work/), optionally inside a
 * network namespace ({@code ip netns exec}, which execs the JVM, so the process held is the JVM itself). Faults:
 * SIGKILL ({@link #kill}), SIGTERM ({@link #terminate}), SIGSTOP/SIGCONT of the JVM ({@link #signal}) or of its whole
 * process tree, job processes included ({@link #freeze}, {@link #thaw}); {@link #start} again after any of them is a
 * restart on the same ports and Redis prefix. Logs with the node's own logging (INFO with ids), not the quiet test one.
 */
public final class NodeJvm implements AutoCloseable {
  public final String name;
  public final Path dir;
  public final Path config;
  public final Path log;
  public final List<String> roles;
  public final String httpHost;
  public final int httpPort;
  public final int clusterPort;
  public final String clusterAddress;
  private final Spec spec;
  private final TestHttpClient http;
  private final TestHttpClient posts;
  private final List<ProcessHandle> frozen = new ArrayList<>();
  private Process process;

  /** Everything about one node: {@code Spec.of(root, name, prefix)}, what differs from the defaults, {@link #build}. */
  public static final class Spec {
    private final Path root;
    private final String name;
    private final String keyPrefix;
    private String redisUrl = TestRedisUrl.get();
    private List<String> roles;
    private String clusterHost = "127.0.0.1";
    private int clusterPort = TestNode.freePort();
    private List<String> seeds = List.of();
    private String httpHost = "127.0.0.1";
    private int httpPort = TestNode.freePort();
    private String netns;
    private String workerId;
    private int slots = 4;
    private String heap = "384m";
    private String authToken;
    private Duration postTimeout = Duration.ofSeconds(10);
    private final List<String> env = new ArrayList<>();
    private String extraHocon = "";

    private Spec(Path root, String name, String keyPrefix) {
      this.root = root;
      this.name = name;
      this.keyPrefix = keyPrefix;
    }

    /** On the test Redis under {@code keyPrefix}, loopback, free ports, the default roles, 4 slots, -Xmx384m. */
    public static Spec of(Path root, String name, String keyPrefix) {
      return new Spec(root, name, keyPrefix);
    }

    public Spec redisUrl(String url) {
      this.redisUrl = url;
      return this;
    }

    public Spec roles(String... roles) {
      this.roles = List.of(roles);
      return this;
    }

    /** The Pekko remoting address; a fixed port makes a restart the same member address, as under a supervisor. */
    public Spec cluster(String host, int port) {
      this.clusterHost = host;
      this.clusterPort = port;
      return this;
    }

    /** {@code host:port} of the seed nodes. */
    public Spec seeds(List<String> seeds) {
      this.seeds = List.copyOf(seeds);
      return this;
    }

    public Spec http(String host, int port) {
      this.httpHost = host;
      this.httpPort = port;
      return this;
    }

    /** Runs the JVM in this network namespace. */
    public Spec netns(String netns) {
      this.netns = netns;
      return this;
    }

    /** {@code gantry.worker.id} (null: the default) and {@code gantry.worker.max-concurrency}. */
    public Spec worker(String workerId, int slots) {
      this.workerId = workerId;
      this.slots = slots;
      return this;
    }

    public Spec heap(String heap) {
      this.heap = heap;
      return this;
    }

    /** Protects the HTTP API with a bearer token, which {@link NodeJvm#http()} sends: off loopback it must. */
    public Spec authToken(String token) {
      this.authToken = token;
      return this;
    }

    /**
     * How long a POST may take (10 s by default). A GET or DELETE always gives up after 10 s, before the node's own
     * ask timeout would answer 503, so that polling loops ask again instead of reading an error.
     */
    public Spec postTimeout(Duration timeout) {
      this.postTimeout = timeout;
      return this;
    }

    /** An environment variable of the JVM. */
    public Spec env(String variable, String value) {
      env.add(variable);
      env.add(value);
      return this;
    }

    /** HOCON layered last (capabilities, timings, ...). */
    public Spec config(String hocon) {
      this.extraHocon = extraHocon + "\n" + hocon;
      return this;
    }

    /** Writes the node's config file; the JVM is not started. */
    public NodeJvm build() throws IOException {
      return new NodeJvm(this);
    }
  }

  private NodeJvm(Spec spec) throws IOException {
    this.spec = spec;
    this.name = spec.name;
    this.dir = Files.createDirectories(spec.root.resolve(spec.name));
    this.config = dir.resolve("node.conf");
    this.log = dir.resolve("node.log");
    this.roles = spec.roles == null ? List.of("orchestrator", "worker", "api") : spec.roles;
    this.httpHost = spec.httpHost;
    this.httpPort = spec.httpPort;
    this.clusterPort = spec.clusterPort;
    this.clusterAddress = spec.clusterHost + ":" + spec.clusterPort;
    this.http = new TestHttpClient(baseUrl(), spec.authToken, Duration.ofSeconds(10));
    this.posts = http.withTimeout(spec.postTimeout);
    Files.writeString(config, hocon(spec));
  }

  private String hocon(Spec spec) {
    String url = spec.redisUrl;
    String prefix = spec.keyPrefix;
    List<String> lines = new ArrayList<>(List.of(
        "gantry.redis.url = \"" + url + "\"",
        "gantry.redis.key-prefix = \"" + prefix + "\""));
    for (String plugin : List.of("journal", "snapshot", "query")) {
      lines.add("gantry.persistence.redis." + plugin + ".connection { url = \"" + url + "\", key-prefix = \""
          + prefix + "\" }");
    }
    if (spec.roles != null) {
      lines.add("gantry.node.roles = [" + String.join(", ", spec.roles) + "]");
    }
    lines.addAll(List.of(
        "gantry.node.host = \"" + spec.clusterHost + "\"",
        "gantry.node.port = " + spec.clusterPort,
        "gantry.node.seeds = [" + String.join(", ", spec.seeds.stream().map(s -> "\"" + s + "\"").toList()) + "]",
        "gantry.http.host = \"" + spec.httpHost + "\"",
        "gantry.http.port = " + spec.httpPort));
    if (spec.workerId != null) {
      lines.add("gantry.worker.id = \"" + spec.workerId + "\"");
    }
    lines.add("gantry.worker.max-concurrency = " + spec.slots);
    lines.add("gantry.worker.work-dir = \"" + dir.resolve("work") + "\"");
    if (spec.authToken != null) {
      lines.add("gantry.http.auth-token = \"" + spec.authToken + "\"");
    }
    lines.add(spec.extraHocon);
    return String.join("\n", lines) + "\n";
  }

  public boolean hasApi() {
    return roles.contains("api");
  }

  /** Starts the JVM; with the api role, returns once {@code /health/ready} answers 200 (90 s). */
  public NodeJvm start() throws Exception {
    launch();
    if (hasApi()) {
      awaitReady(Duration.ofSeconds(90));
    }
    return this;
  }

  /** Starts the JVM and returns at once (see {@link #awaitReady}): nodes that need each other start together. */
  public NodeJvm launch() throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String logback = "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath();
    List<String> command = new ArrayList<>();
    if (spec.netns != null) {
      command.addAll(List.of("ip", "netns", "exec", spec.netns));
    }
    command.addAll(List.of(javaBin, "-Xmx" + spec.heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", logback,
        "-cp", System.getProperty("java.class.path"), "io.gantry.main.Main", "node", "--config",
        config.toString()));
    Files.writeString(log, "==== start " + Instant.now() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    for (int i = 0; i + 1 < spec.env.size(); i += 2) {
      pb.environment().put(spec.env.get(i), spec.env.get(i + 1));
    }
    process = pb.start();
    return this;
  }

  /** Waits until {@code /health/ready} answers 200; fails at once when the JVM exits. */
  public NodeJvm awaitReady(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + logTail(4000));
      }
      try {
        if (get("/health/ready").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready after " + within + "; log:\n" + logTail(4000));
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit code once the JVM has exited within {@code within}, else null. */
  public Integer awaitExit(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL: no shutdown hook, no hand-over. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM and wait: answers how long the node took to stop, in ms. */
  public long terminate() throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    process.waitFor();
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** A signal to the JVM alone, e.g. STOP (freeze) or CONT (thaw). */
  public void signal(String signal) throws Exception {
    if (!send(signal, process.pid())) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** SIGSTOP to the JVM and every process it started: the whole machine stops, as in a VM pause. */
  public void freeze() throws Exception {
    frozen.clear();
    frozen.add(process.toHandle());
    process.toHandle().descendants().forEach(frozen::add);
    for (ProcessHandle p : frozen) {
      send("STOP", p.pid()); // a job process that has just ended is not frozen, and need not be
    }
  }

  /** The job processes (descendants of the JVM) that the last {@link #freeze} stopped. */
  public List<Long> frozenJobProcesses() {
    return frozen.stream().skip(1).map(ProcessHandle::pid).toList();
  }

  /** SIGCONT to what {@link #freeze} stopped. */
  public void thaw() throws Exception {
    for (ProcessHandle p : frozen) {
      if (p.isAlive()) {
        send("CONT", p.pid());
      }
    }
  }

  /** Whether {@code kill -SIG pid} succeeded. */
  private static boolean send(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  public String baseUrl() {
    return "http://" + httpHost + ":" + httpPort;
  }

  /** The client of this node's HTTP API (with its token). */
  public TestHttpClient http() {
    return http;
  }

  /** GET with the raw response: a node that is down or starting throws IOException, for loops to ask again. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.exchange("GET", path, null);
  }

  public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return posts.exchange("POST", path, json);
  }

  public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return http.exchange("DELETE", path, null);
  }

  public String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The last {@code chars} characters of the log, for assertion messages. */
  public String logTail(int chars) throws IOException {
    String text = logText();
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  /** The last 40 lines of the log. */
  public String tail() throws IOException {
    List<String> lines = logText().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Whether some line of the log contains every one of {@code needles}. */
  public boolean logHas(String... needles) throws IOException {
    return logText().lines().anyMatch(line -> Arrays.stream(needles).allMatch(line::contains));
  }

  /** Log lines containing any of {@code needles}, at most {@code max}, each repeated message once, for reports. */
  public String logLines(int max, String... needles) throws IOException {
    StringBuilder out = new StringBuilder();
    int n = 0;
    Set<String> seen = new HashSet<>();
    for (String line : logText().split("\n")) {
      // Repeats of one message (after its timestamp) are shown once.
      if (!seen.add(line.length() > 13 ? line.substring(13) : line)) {
        continue;
      }
      if (n < max && Arrays.stream(needles).anyMatch(line::contains)) {
        out.append(name).append(": ").append(line).append('\n');
        n++;
      }
    }
    return out.toString();
  }

  /** Thaws, stops (SIGTERM, then SIGKILL after 20 s) and kills the job processes a killed JVM left behind. */
  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    thaw();
    send("CONT", process.pid());
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
