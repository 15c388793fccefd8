package io.gantry.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario (11): a node frozen with SIGSTOP past the unreachable grace and the downing decision, then
 * thawed.
 *
 * <p>Three loopback nodes with every role on a redis-server of the test's own. Node 3's JVM and its job processes
 * are stopped (a VM pause) while it runs attempts, for 25 s, then continued. Its attempts must run elsewhere while it
 * is frozen; once thawed its stale attempts must be stopped, not adopted (no marked job runs to its end twice, no
 * success recorded twice); node 3 must find itself downed and exit non-zero instead of rejoining as a zombie; and
 * the cluster keeps serving (a submit during the freeze completes).
 */
@Tag("slow")
class FrozenNodeTest {
  private static final Duration READY = Duration.ofSeconds(90);
  private static Path dir;
  private static LocalRedis redis;
  private static final List<NodeJvm> nodes = new ArrayList<>();
  private static String prefix;

  @BeforeAll
  static void cluster() throws Exception {
    dir = Files.createTempDirectory("gantry-frozen");
    redis = LocalRedis.server(dir.resolve("redis"), List.of()).start();
    prefix = "frozen" + UUID.randomUUID().toString().substring(0, 8) + ":";
    List<Integer> ports = List.of(TestNode.freePort(), TestNode.freePort(), TestNode.freePort());
    List<String> seeds = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    for (int i = 0; i < 3; i++) {
      nodes.add(new NodeJvm(dir, new NodeJvm.Spec("n" + (i + 1), redis.url(), prefix, "127.0.0.1", ports.get(i),
          seeds, "127.0.0.1", TestNode.freePort(), null, "gantry.node.roles = [orchestrator, worker, api]")));
    }
    // All at once: the first seed forms the cluster, the others join it as soon as it is up.
    for (NodeJvm node : nodes) {
      node.start();
    }
    for (NodeJvm node : nodes) {
      node.awaitReady(READY);
    }
    Runs.awaitClusterWorkers(nodes.get(0), 3, READY);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (NodeJvm node : nodes) {
      node.close();
    }
    if (dir != null) {
      Runs.killLeftovers(dir.resolve("marks"));
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aThawedNodeIsDownedAndItsStaleAttemptsDoNotRunTwice() throws Exception {
    NodeJvm n1 = nodes.get(0);
    NodeJvm n3 = nodes.get(2);
    String n3Worker = n3.clusterAddress;
    Path marks = dir.resolve("marks");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String id = "frozen-" + i;
      ids.add(id);
      Runs.submit(n1, Runs.dag("freeze", id, Runs.shellJob("a", List.of(), marks, 12),
          "{\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}"), Duration.ofSeconds(20));
    }
    Map<String, JsonNode> running = Runs.awaitAll(n1, ids,
        s -> "running".equals(s.path("jobs").path("a").path("status").asText()), Duration.ofSeconds(40));
    List<String> onN3 = ids.stream().filter(id -> Runs.runningOn(running.get(id), n3Worker)).toList();
    assertTrue(!onN3.isEmpty(), "no attempt runs on node 3: " + running);

    List<String> failures = new ArrayList<>();
    n3.freeze();
    long frozenAt = System.nanoTime();
    // Its attempts run elsewhere while it is frozen.
    try {
      Runs.awaitAll(n1, onN3, s -> Runs.completed(s) || (s.path("jobs").path("a").path("attempts").asInt() >= 2
          && !n3Worker.equals(s.path("jobs").path("a").path("workerId").asText())), Duration.ofSeconds(30));
      System.out.println("frozen: node 3's " + onN3.size() + " attempts running elsewhere after "
          + (System.nanoTime() - frozenAt) / 1_000_000 + " ms");
    } catch (AssertionError e) {
      failures.add("while node 3 was frozen its attempts did not move: " + e.getMessage());
    }
    // The cluster keeps serving.
    String during = "during-freeze";
    ids.add(during);
    Runs.submit(n1, Runs.dag("freeze", during, Runs.shellJob("a", List.of(), marks, 1),
        "{\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}"), Duration.ofSeconds(20));
    long left = Duration.ofSeconds(25).toNanos() - (System.nanoTime() - frozenAt);
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
    n3.thaw();
    long thawedAt = System.nanoTime();

    Integer exit = n3.awaitExit(Duration.ofSeconds(40));
    if (exit == null) {
      failures.add("node 3 still runs 40 s after it was thawed (a zombie); log:\n"
          + n3.logLines(15, "SBR", "Downing", "down", "Removed", "quarantin", "shutdown", "stopped", "adopt"));
    } else if (exit == 0) {
      failures.add("node 3 was downed but exited 0 (expected non-zero); log:\n"
          + n3.logLines(15, "SBR", "down", "Removed", "quarantin", "shutdown", "stopped"));
    }
    System.out.println("frozen: node 3 exit " + exit);

    Map<String, JsonNode> done = Runs.awaitAll(n1, ids, Runs::finished, Duration.ofSeconds(90));
    done.forEach((id, state) -> {
      if (!Runs.completed(state)) {
        failures.add(id + " ended " + state.path("status").asText() + ": " + state);
      }
    });
    try (JournalAudit audit = new JournalAudit(redis.url(), prefix)) {
      for (String id : ids) {
        failures.addAll(audit.problems(id, Set.of("a", "b")));
      }
    }
    // Stale attempts were stopped: each job's work ran to its end once, as the attempt whose result was recorded.
    // A zombie left running would finish its remaining work (at most the job's 12 s) and write its end line.
    long wait = Duration.ofSeconds(14).toNanos() - (System.nanoTime() - thawedAt);
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000);
    }
    Map<String, Set<String>> ended = new HashMap<>();
    for (String[] mark : Runs.marks(marks)) {
      if (mark[0].equals("end")) {
        ended.computeIfAbsent(mark[1] + "/" + mark[2], k -> new HashSet<>()).add(mark[3]);
      }
    }
    for (String id : ids) {
      Set<String> attempts = ended.getOrDefault(id + "/a", Set.of());
      if (attempts.size() != 1) {
        failures.add(id + "/a ran to its end as " + attempts.size() + " attempts " + attempts
            + (onN3.contains(id) ? " (it ran on the frozen node 3)" : ""));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));
  }
}
