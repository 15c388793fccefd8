package io.gantry.node;

import io.gantry.testkit.TestNode;
import io.gantry.testkit.TestRedisUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A Gantry node in a JVM of its own ({@code gantry node --config FILE}), to kill with SIGKILL and start again. */
final class NodeProcess implements AutoCloseable {
  final Path config;
  final Path log;
  final int httpPort;
  private Process process;

  NodeProcess(Path dir, String prefix) throws IOException {
    this(dir, prefix, TestRedisUrl.get());
  }

  NodeProcess(Path dir, String prefix, String url) throws IOException {
    this.httpPort = TestNode.freePort();
    int clusterPort = TestNode.freePort();
    this.config = dir.resolve("node.conf");
    this.log = dir.resolve("node.log");
    Files.writeString(config, String.join("\n",
        "gantry.redis.url = \"" + url + "\"",
        "gantry.redis.key-prefix = \"" + prefix + "\"",
        "gantry.persistence.redis.journal.connection { url = \"" + url + "\", key-prefix = \"" + prefix + "\" }",
        "gantry.persistence.redis.snapshot.connection { url = \"" + url + "\", key-prefix = \"" + prefix + "\" }",
        "gantry.persistence.redis.query.connection { url = \"" + url + "\", key-prefix = \"" + prefix + "\" }",
        "gantry.node.port = " + clusterPort,
        "gantry.http.port = " + httpPort,
        "gantry.worker.max-concurrency = 4",
        "gantry.worker.work-dir = \"" + dir.resolve("work") + "\""));
  }

  void start() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The node's own logging (INFO with ids), not the quiet test configuration on the test classpath.
    String logback = "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath();
    process = new ProcessBuilder(List.of(java, "-Xmx512m", logback, "-cp", System.getProperty("java.class.path"),
        "io.gantry.main.Main", "node", "--config", config.toString()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue() + "; log:\n" + Files.readString(log));
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
    throw new IllegalStateException("node not ready after 60 s; log:\n" + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook, no hand-over. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM and wait: answers how long the node took to stop. */
  long terminate() throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    process.waitFor();
    return (System.nanoTime() - start) / 1_000_000;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }
}
