package io.gantry.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Gantry node in a JVM of its own ({@code gantry node --config FILE}, -Xmx256m): its roles, a fixed cluster
 * port (so a restart is the same member address, as under a supervisor) and every seed of its cluster. Its log
 * is appended to across restarts.
 */
public final class ClusterNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  final String name;
  final List<String> roles;
  final int clusterPort;
  final int httpPort;
  final Path config;
  final Path log;
  private Process process;

  ClusterNode(Path dir, String name, List<String> roles, int clusterPort, int httpPort, String conf)
      throws IOException {
    this.name = name;
    this.roles = roles;
    this.clusterPort = clusterPort;
    this.httpPort = httpPort;
    Files.createDirectories(dir);
    this.config = dir.resolve(name + ".conf");
    this.log = dir.resolve(name + ".log");
    Files.writeString(config, conf);
  }

  boolean hasApi() {
    return roles.contains("api");
  }

  /** Starts the JVM; with the api role, returns once /health/ready answers 200. */
  void start() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The node's own logging (INFO with ids), not the quiet test configuration on the test classpath.
    String logback = "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath();
    Files.writeString(log, "=== start " + java.time.Instant.now() + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = new ProcessBuilder(List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", logback,
        "-cp", System.getProperty("java.class.path"), "io.gantry.main.Main", "node", "--config",
        config.toString()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (hasApi()) {
      awaitReady(Duration.ofSeconds(90));
    }
  }

  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
      }
      try {
        if (get("/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready after " + timeout + "; log:\n" + tail());
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no hand-over. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGSTOP (freeze) or SIGCONT (thaw). */
  void signal(String signal) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
    if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** The exit status once the process ended within the timeout, else -1. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  String tail() throws IOException {
    List<String> lines = logText().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      signalQuietly("CONT");
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  private void signalQuietly(String signal) {
    try {
      signal(signal);
    } catch (Exception e) {
      // already gone
    }
  }
}
