package io.gantry.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario (10b): Redis under Sentinel loses its primary mid-run.
 *
 * <p>A primary, a replica and three sentinels of the test's own (loopback, free ports); one node with every role
 * on {@code redis-sentinel://s1,s2,s3/0#master}. The primary gets SIGKILL while attempts run. Running attempts must
 * keep running (each job ran as one attempt, its work started once), every execution completes (none failed), no
 * success is recorded twice, health comes back UP after the failover, and submits during the outage are answered
 * quickly (503 when refused) while every accepted one completes.
 */
@Tag("slow")
class SentinelFailoverTest {
  private static final String MASTER = "gm";
  private static Path dir;
  private static LocalRedis primary;
  private static LocalRedis replica;
  private static final List<LocalRedis> sentinels = new ArrayList<>();
  private static NodeJvm node;
  private static String url;
  private static String prefix;

  @BeforeAll
  static void redisUnderSentinel() throws Exception {
    dir = Files.createTempDirectory("gantry-sentinel");
    primary = LocalRedis.server(dir.resolve("primary"), List.of()).start();
    replica = LocalRedis.server(dir.resolve("replica"), List.of(), "--replicaof", "127.0.0.1",
        Integer.toString(primary.port)).start();
    for (int i = 1; i <= 3; i++) {
      sentinels.add(LocalRedis.sentinel(dir.resolve("sentinel" + i), MASTER, primary.port).start());
    }
    awaitSentinelsReady();
    url = "redis-sentinel://" + String.join(",", sentinels.stream().map(s -> "127.0.0.1:" + s.port).toList())
        + "/0#" + MASTER;
    prefix = RedisPrefix.random("SentinelFailoverTest");
    node = NodeJvm.Spec.of(dir, "n1", prefix).redisUrl(url).roles("orchestrator", "worker", "api").build();
    node.launch().awaitReady(Duration.ofSeconds(90));
  }

  /** Every sentinel knows the replica and the two other sentinels, so a failover can be agreed on. */
  private static void awaitSentinelsReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (LocalRedis s : sentinels) {
        String master = s.cli("SENTINEL", "master", MASTER);
        ready &= master.contains("num-slaves\n1") && master.contains("num-other-sentinels\n2");
      }
      if (ready) {
        return;
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("sentinels not ready: " + sentinels.get(0).cli("SENTINEL", "master", MASTER));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    Runs.stopNodes(java.util.Collections.singletonList(node), dir);
    for (LocalRedis s : sentinels) {
      s.close();
    }
    if (replica != null) {
      replica.close();
    }
    if (primary != null) {
      primary.close();
    }
    Runs.deleteTree(dir);
  }

  @Test
  void aKilledPrimaryCostsNoAttemptAndNoExecution() throws Exception {
    Path marks = dir.resolve("marks");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = "sentinel-" + i;
      ids.add(id);
      Runs.submit(node, Runs.dag("sentinel", id, Runs.shellJob("a", List.of(), marks, 8),
          "{\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}"), Duration.ofSeconds(20));
    }
    Runs.awaitAll(node, ids, s -> "running".equals(s.path("jobs").path("a").path("status").asText()),
        Duration.ofSeconds(30));

    List<String> failures = new ArrayList<>();
    primary.kill();
    long killedAt = System.nanoTime();
    // During the outage: health sampled, submits made; each submit must be answered quickly.
    List<String> health = new ArrayList<>();
    Map<String, Integer> outageSubmits = new HashMap<>();
    long slowest = 0;
    boolean upAgain = false;
    for (int i = 0; System.nanoTime() - killedAt < Duration.ofSeconds(40).toNanos() && !upAgain; i++) {
      String id = "outage-" + i;
      long start = System.nanoTime();
      int code;
      try {
        code = node.post("/execute/distributed", Runs.dag("sentinel", id, Runs.shellJob("a", List.of(), marks, 1),
            "{\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}")).statusCode();
      } catch (IOException e) {
        code = -1;
      }
      long took = (System.nanoTime() - start) / 1_000_000;
      slowest = Math.max(slowest, took);
      outageSubmits.put(id, code);
      if (code != 202 && code != 503) {
        failures.add("submit " + id + " during the failover answered " + code + " after " + took + " ms");
      }
      String h = healthOf(node);
      if (health.isEmpty() || !health.get(health.size() - 1).startsWith(h + "@")) {
        health.add(h + "@" + (System.nanoTime() - killedAt) / 1_000_000 + "ms");
      }
      boolean failedOver = !sentinels.get(0).cli("SENTINEL", "get-master-addr-by-name", MASTER)
          .contains(Integer.toString(primary.port));
      upAgain = failedOver && h.equals("UP") && code == 202;
      Thread.sleep(300);
    }
    System.out.println("sentinel: health " + health + ", submits " + outageSubmits + ", slowest answer " + slowest
        + " ms, new primary " + sentinels.get(0).cli("SENTINEL", "get-master-addr-by-name", MASTER).replace('\n', ':'));
    if (!upAgain) {
      failures.add("40 s after the primary was killed, health and submits are not back: health " + health
          + ", submits " + outageSubmits + "\n" + node.logLines(20, "WARN", "ERROR"));
    }
    if (slowest > 10_000) {
      failures.add("a submit during the failover took " + slowest + " ms to be answered");
    }
    outageSubmits.forEach((id, code) -> {
      if (code == 202) {
        ids.add(id);
      }
    });

    Map<String, JsonNode> done;
    try {
      done = Runs.awaitAll(node, ids, Runs::finished, Duration.ofSeconds(60));
    } catch (AssertionError e) {
      failures.add(e.getMessage() + "\n" + node.logLines(25, "WARN", "ERROR"));
      throw new AssertionError(String.join("\n\n", failures));
    }
    done.forEach((id, state) -> {
      if (!Runs.completed(state)) {
        failures.add(id + " ended " + state.path("status").asText() + ": " + state);
      }
      int attempts = state.path("jobs").path("a").path("attempts").asInt();
      if (attempts != 1) {
        failures.add(id + "/a took " + attempts + " attempts (a Redis failover must not cost a running attempt): "
            + state.path("jobs").path("a"));
      }
    });
    Map<String, Integer> starts = new HashMap<>();
    for (String[] mark : Runs.marks(marks)) {
      if (mark[0].equals("start")) {
        starts.merge(mark[1], 1, Integer::sum);
      }
    }
    for (String id : ids) {
      if (starts.getOrDefault(id, 0) != 1) {
        failures.add(id + "/a started its work " + starts.get(id) + " times");
      }
    }
    try (JournalAudit audit = new JournalAudit(url, prefix)) {
      for (String id : ids) {
        failures.addAll(audit.problems(id, Set.of("a", "b"), done.get(id)));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n\n", failures) + "\n" + node.logLines(25, "WARN", "ERROR"));
  }

  private static String healthOf(NodeJvm node) {
    try {
      HttpResponse<String> r = node.get("/health/state");
      return r.statusCode() == 200 ? "UP" : "DOWN(" + r.statusCode() + ")";
    } catch (IOException e) {
      return "NO-ANSWER";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "INTERRUPTED";
    }
  }
}
