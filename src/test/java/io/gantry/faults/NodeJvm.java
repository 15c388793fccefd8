package io.gantry.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Gantry node in a JVM of its own ({@code io.gantry.main.Main node --config FILE}), optionally inside a network
 * namespace ({@code ip netns exec}, which execs the JVM, so the process we hold is the JVM itself). Faults: SIGKILL,
 * and freezing the node's whole process tree (the JVM and the job processes it started) with SIGSTOP / SIGCONT.
 */
final class NodeJvm implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  final String name;
  final Path dir;
  final Path config;
  final Path log;
  final String httpHost;
  final int httpPort;
  final String clusterAddress;
  private final String netns;
  private Process process;
  private String authToken;
  private final List<ProcessHandle> frozen = new ArrayList<>();

  /** Settings of one node; {@code extraHocon} is layered last (roles, capabilities, timings, ...). */
  record Spec(String name, String redisUrl, String keyPrefix, String clusterHost, int clusterPort, List<String> seeds,
      String httpHost, int httpPort, String netns, String extraHocon) {}

  NodeJvm(Path root, Spec spec) throws IOException {
    this.name = spec.name();
    this.dir = Files.createDirectories(root.resolve(spec.name()));
    this.config = dir.resolve("node.conf");
    this.log = dir.resolve("node.log");
    this.httpHost = spec.httpHost();
    this.httpPort = spec.httpPort();
    this.clusterAddress = spec.clusterHost() + ":" + spec.clusterPort();
    this.netns = spec.netns();
    String url = spec.redisUrl();
    String prefix = spec.keyPrefix();
    String seeds = String.join(",", spec.seeds().stream().map(s -> "\"" + s + "\"").toList());
    Files.writeString(config, String.join("\n",
        "gantry.redis.url = \"" + url + "\"",
        "gantry.redis.key-prefix = \"" + prefix + "\"",
        "gantry.persistence.redis.journal.connection { url = \"" + url + "\", key-prefix = \"" + prefix + "\" }",
        "gantry.persistence.redis.snapshot.connection { url = \"" + url + "\", key-prefix = \"" + prefix + "\" }",
        "gantry.persistence.redis.query.connection { url = \"" + url + "\", key-prefix = \"" + prefix + "\" }",
        "gantry.node.host = \"" + spec.clusterHost() + "\"",
        "gantry.node.port = " + spec.clusterPort(),
        "gantry.node.seeds = [" + seeds + "]",
        "gantry.http.host = \"" + spec.httpHost() + "\"",
        "gantry.http.port = " + spec.httpPort(),
        "gantry.worker.max-concurrency = 4",
        "gantry.worker.work-dir = \"" + dir.resolve("work") + "\"",
        spec.extraHocon()));
  }

  /**
   * Protects the HTTP API with a bearer token (the test then sends it): a node serving HTTP on an address other than
   * loopback must have one.
   */
  NodeJvm withAuthToken(String token) throws IOException {
    Files.writeString(config, "\ngantry.http.auth-token = \"" + token + "\"\n",
        java.nio.file.StandardOpenOption.APPEND);
    this.authToken = token;
    return this;
  }

  /** Starts the JVM; returns at once (see {@link #awaitReady}). */
  NodeJvm start() throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The node's own logging (INFO with ids), not the quiet test configuration on the test classpath.
    String logback = "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath();
    List<String> command = new ArrayList<>();
    if (netns != null) {
      command.addAll(List.of("ip", "netns", "exec", netns));
    }
    command.addAll(List.of(javaBin, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", logback,
        "-cp", System.getProperty("java.class.path"), "io.gantry.main.Main", "node", "--config",
        config.toString()));
    Files.writeString(log, "==== start " + java.time.Instant.now() + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  /** Waits until {@code /health/ready} answers 200. */
  NodeJvm awaitReady(Duration within) throws Exception {
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
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " not ready after " + within + "; log:\n" + logTail(4000));
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The exit code once the JVM has exited within {@code within}, else null. */
  Integer awaitExit(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL: no shutdown hook, no hand-over. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGSTOP to the JVM and every process it started: the whole machine stops, as in a VM pause. */
  void freeze() throws Exception {
    frozen.clear();
    frozen.add(process.toHandle());
    process.toHandle().descendants().forEach(frozen::add);
    for (ProcessHandle p : frozen) {
      signal("STOP", p.pid());
    }
  }

  /** The job processes (descendants of the JVM) that the last {@link #freeze} stopped. */
  List<Long> frozenJobProcesses() {
    return frozen.stream().skip(1).map(ProcessHandle::pid).toList();
  }

  /** SIGCONT to what {@link #freeze} stopped. */
  void thaw() throws Exception {
    for (ProcessHandle p : frozen) {
      if (p.isAlive()) {
        signal("CONT", p.pid());
      }
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
  }

  String baseUrl() {
    return "http://" + httpHost + ":" + httpPort;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10));
    return authToken == null ? request : request.header("Authorization", "Bearer " + authToken);
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The last {@code chars} characters of the log, for assertion messages. */
  String logTail(int chars) throws IOException {
    String text = logText();
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  /** Whether some line of the log contains every one of {@code needles}. */
  boolean logHas(String... needles) throws IOException {
    for (String line : logText().split("\n")) {
      if (java.util.Arrays.stream(needles).allMatch(line::contains)) {
        return true;
      }
    }
    return false;
  }

  /** Log lines containing any of {@code needles}, at most {@code max}, for reports. */
  String logLines(int max, String... needles) throws IOException {
    StringBuilder out = new StringBuilder();
    int n = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String line : logText().split("\n")) {
      // Repeats of one message (after its timestamp) are shown once.
      if (!seen.add(line.length() > 13 ? line.substring(13) : line)) {
        continue;
      }
      for (String needle : needles) {
        if (line.contains(needle) && n < max) {
          out.append(name).append(": ").append(line).append('\n');
          n++;
          break;
        }
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    thaw();
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
    // Job processes a killed JVM left behind must not outlive the test.
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
