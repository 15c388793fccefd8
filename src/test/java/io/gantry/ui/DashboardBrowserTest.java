package io.gantry.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The dashboard at / in Debian's chromium (src/test/browser/dashboard.test.mjs) against a real node (orchestrator,
 * worker, api) with a token, on a redis-server of its own so that the script can stop it (SIGSTOP, then SIGCONT:
 * GANTRY_TEST_REDIS_PID) and see the unhealthy line come and go. The script asks for the token once, then follows
 * executions' progress bars to their end, filters and pages them, watches a backlog nobody can take grow old,
 * pauses and resumes the queue from the page, and shows the workers' load; a read-only token sees it all and is
 * told that pausing is not its to do.
 */
@Tag("slow")
@Tag("browser")
class DashboardBrowserTest {
  static final String TOKEN = "dash-token-" + Long.toHexString(System.nanoTime());
  static final String READ_TOKEN = "dash-viewer-" + Long.toHexString(System.nanoTime());
  static Path redisDir;
  static Process redis;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(onPath("redis-server"), "redis-server is not installed");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redisDir = Files.createTempDirectory("dashboard-redis");
    // Persistence on and noeviction, as in production: the health line has no warning to show while Redis is up.
    redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "yes", "--maxmemory-policy", "noeviction", "--dir", redisDir.toString())
        .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
    Await.until(() -> {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, ok -> ok, Duration.ofSeconds(10), "redis-server on port " + port);
    node = TestNode.builder().api().token(TOKEN).awaitIndex().redisUrl("redis://127.0.0.1:" + port + "/0")
        .config("gantry.worker.capabilities = [cpu, ssd]\ngantry.worker.max-concurrency = 3\n"
            + "gantry.redis.command-timeout = 2s\n"
            + "gantry.http.tokens = [{name = viewer, role = read, token = \"" + READ_TOKEN + "\"}]")
        .build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (redis != null) {
      // In case the script stopped with Redis still stopped.
      new ProcessBuilder("kill", "-CONT", Long.toString(redis.pid())).start().waitFor();
    }
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.destroyForcibly();
      redis.waitFor();
    }
    if (redisDir != null) {
      try (var files = Files.walk(redisDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> dashboard() {
    return BrowserScript.run("dashboard.test.mjs", node.httpBase(), TOKEN, Duration.ofMinutes(4),
        Map.of("GANTRY_TEST_REDIS_PID", Long.toString(redis.pid()), "GANTRY_READ_TOKEN", READ_TOKEN));
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
