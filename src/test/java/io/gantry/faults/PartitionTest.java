package io.gantry.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario (5): a network partition, with nothing lost or recorded twice after healing.
 *
 * <p>Three nodes with every role, each in a network namespace of its own: Pekko's traffic on one link (a bridge of
 * veths, 10.S.1.0/24), Redis and HTTP on another (10.S.2.0/24, the test's redis-server in the root namespace).
 * Node 3's cluster link is cut while it runs attempts and kept cut past the downing decision, then healed. The
 * downing strategy must remove the minority (node 3): it stops and its JVM exits non-zero; nodes 1 and 2 carry on
 * (a submit during the partition is accepted and completes); every execution completes; each job's success is
 * recorded exactly once in the journal; and after healing, a fresh node replays every execution to the same state.
 */
@Tag("slow")
class PartitionTest {
  private static final Duration READY = Duration.ofSeconds(90);
  private static Path dir;
  private static NetLab lab;
  private static LocalRedis redis;
  private static final List<NodeJvm> nodes = new ArrayList<>();
  private static String prefix;

  @BeforeAll
  static void cluster() throws Exception {
    dir = Files.createTempDirectory("gantry-partition");
    lab = new NetLab(3);
    redis = LocalRedis.server(dir.resolve("redis"), List.of(lab.redisGateway())).start();
    prefix = RedisPrefix.random("PartitionTest");
    String url = "redis://" + lab.redisGateway() + ":" + redis.port + "/0";
    List<String> seeds = List.of(lab.clusterAddress(1) + ":2551", lab.clusterAddress(2) + ":2551",
        lab.clusterAddress(3) + ":2551");
    // HTTP listens on the Redis-side address (not loopback), so the API carries a token.
    String token = UUID.randomUUID().toString();
    for (int i = 1; i <= 3; i++) {
      nodes.add(NodeJvm.Spec.of(dir, "n" + i, prefix).redisUrl(url).cluster(lab.clusterAddress(i), 2551).seeds(seeds)
          .http(lab.redisSideAddress(i), 8080).netns(lab.namespace(i)).roles("orchestrator", "worker", "api")
          .authToken(token).build());
    }
    // All at once: the first seed forms the cluster, the others join it as soon as it is up.
    for (NodeJvm node : nodes) {
      node.launch();
    }
    for (NodeJvm node : nodes) {
      node.awaitReady(READY);
    }
    Runs.awaitClusterWorkers(nodes.get(0), 3, READY);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    Runs.stopNodes(nodes, dir);
    if (redis != null) {
      redis.close();
    }
    if (lab != null) {
      lab.close();
    }
    Runs.deleteTree(dir);
  }

  @Test
  void theMinorityIsDownedAndNothingIsLostOrRecordedTwice() throws Exception {
    NodeJvm n1 = nodes.get(0);
    NodeJvm n3 = nodes.get(2);
    Path marks = dir.resolve("marks");
    String n3Worker = lab.clusterAddress(3) + ":2551";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String id = "before-" + i;
      ids.add(id);
      Runs.submit(n1, Runs.dag("partition", id, Runs.shellJob("a", List.of(), marks, 4),
          Runs.shellJob("b", List.of("a"), marks, 3), "{\"id\": \"c\", \"type\": \"noop\", \"dependsOn\": [\"b\"]}"),
          Duration.ofSeconds(20));
    }
    Runs.awaitAll(n1, List.of(ids.get(0)), s -> true, Duration.ofSeconds(20));
    awaitRunningOn(n1, ids, n3Worker, Duration.ofSeconds(30));

    List<String> failures = new ArrayList<>();
    long cutAt = System.nanoTime();
    lab.cutCluster(3);

    // The majority carries on: a submit made during the partition is accepted (within the downing time) and runs.
    List<String> during = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        String id = "during-" + i;
        during.add(id);
        Runs.submit(n1, Runs.dag("partition", id, Runs.shellJob("a", List.of(), marks, 1),
            "{\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}"), Duration.ofSeconds(45));
      }
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nnode 1 log:\n" + n1.logLines(20, "SBR", "lease", "Lease", "down",
          "Down", "WARN", "ERROR") + "\nnode 3 log:\n" + n3.logLines(20, "SBR", "lease", "Lease", "down", "Down"), e);
    }
    ids.addAll(during);
    int majorityHealth = n1.get("/health/ready").statusCode();
    if (majorityHealth != 200) {
      failures.add("node 1 (majority side) answers /health/ready " + majorityHealth + " during the partition");
    }

    Integer exit = n3.awaitExit(Duration.ofSeconds(60));
    long downedMs = (System.nanoTime() - cutAt) / 1_000_000;
    if (exit == null) {
      failures.add("node 3 (cut off) still runs 60 s after the cut; log:\n"
          + n3.logLines(15, "SBR", "Downing", "down", "Leader", "unreachable", "shutdown", "stopped"));
    } else if (exit == 0) {
      failures.add("node 3 was downed but exited 0 (expected non-zero) after " + downedMs + " ms; log:\n"
          + n3.logLines(15, "SBR", "Downing", "down", "shutdown", "stopped"));
    }
    System.out.println("partition: node 3 exit " + exit + " " + downedMs + " ms after the cut");
    lab.healCluster(3);

    Map<String, JsonNode> before;
    try {
      before = Runs.awaitAll(n1, ids, Runs::finished, Duration.ofSeconds(120));
    } catch (AssertionError e) {
      failures.add(e.getMessage() + "\n" + n1.logLines(20, "WARN", "ERROR") + nodes.get(1).logLines(20, "WARN",
          "ERROR"));
      throw new AssertionError(String.join("\n\n", failures));
    }
    before.forEach((id, state) -> {
      if (!Runs.completed(state)) {
        failures.add(id + " ended " + state.path("status").asText() + ": " + state);
      }
    });
    try (JournalAudit audit = new JournalAudit(redis.url(), prefix)) {
      for (String id : ids) {
        Set<String> jobs = id.startsWith("before") ? Set.of("a", "b", "c") : Set.of("a", "b");
        failures.addAll(audit.problems(id, jobs, before.get(id)));
      }
      // The removed side stopped dispatching: nothing started on node 3 once it had downed itself.
      Long downedAt = decisionTime(n3);
      for (String id : downedAt == null ? List.<String>of() : ids) {
        for (long at : audit.startsOn(id, n3Worker)) {
          if (at > downedAt + 1000) {
            failures.add(id + ": an attempt started on node 3 " + (at - downedAt) + " ms after it downed itself");
          }
        }
      }
    }

    // Replay: the whole cluster stops; a fresh node on the same Redis rebuilds every execution from the journal.
    nodes.get(1).kill();
    n1.close();
    n1.launch().awaitReady(READY);
    Map<String, JsonNode> replayed = Runs.awaitAll(n1, ids, s -> true, Duration.ofSeconds(60));
    for (String id : ids) {
      if (!before.get(id).equals(replayed.get(id))) {
        failures.add(id + " replays differently:\n before " + before.get(id) + "\n after  " + replayed.get(id));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));
  }

  /** When node 3 logged its own downing decision (epoch ms; the log's wall-clock time of today), or null. */
  private static Long decisionTime(NodeJvm node) throws Exception {
    for (String line : node.logText().split("\n")) {
      if (line.contains("SBR took decision") && line.contains("including myself") && line.length() > 12) {
        java.time.LocalTime time = java.time.LocalTime.parse(line.substring(0, 12));
        return java.time.LocalDate.now().atTime(time).atZone(java.time.ZoneId.systemDefault()).toInstant()
            .toEpochMilli();
      }
    }
    System.out.println("partition: node 3 logged no downing decision of its own");
    return null;
  }

  private static void awaitRunningOn(NodeJvm node, List<String> ids, String workerId, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (String id : ids) {
        if (Runs.runningOn(Runs.status(node, id), workerId)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no attempt ran on " + workerId + " within " + within);
  }
}
