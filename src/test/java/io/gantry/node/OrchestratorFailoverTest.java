package io.gantry.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orchestrator node killed (SIGKILL) while its executions wait in a retry backoff: once the cluster has removed it,
 * the executions it hosted resume on the survivor by themselves and dispatch again, with nobody messaging them.
 */
@Tag("slow")
class OrchestratorFailoverTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int EXECUTIONS = 8;

  @TempDir
  Path dir;

  @RegisterExtension
  final RedisPrefix prefix = new RedisPrefix();

  @Test
  void executionsOfAKilledNodeDispatchAgainWithinTenSecondsOfItsRemoval() throws Exception {
    int a = TestNode.freePort();
    int b = TestNode.freePort();
    // The survivor has the lower address, so that the downing of a two-node cluster keeps it.
    int survivorPort = Math.min(a, b);
    int victimPort = Math.max(a, b);
    try (NodeJvm survivor = node("survivor", survivorPort, survivorPort);
        NodeJvm victim = node("victim", victimPort, survivorPort)) {
      survivor.start();
      victim.start();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < EXECUTIONS; i++) {
        var submitted = survivor.post("/execute/distributed", """
            {"workflowId": "failover", "jobs": [
              {"id": "first", "type": "noop"},
              {"id": "flaky", "type": "shell", "dependsOn": ["first"], "maxRetries": 3,
               "backoff": {"initialMs": 6000, "multiplier": 1.0},
               "config": {"command": ["sh", "-c", "case $GANTRY_ATTEMPT_ID in *:1) exit 1;; esac; sleep 120"]}}
            ]}""");
        assertEquals(202, submitted.statusCode(), submitted.body());
        ids.add(JSON.readTree(submitted.body()).get("executionId").asText());
      }
      for (String id : ids) {
        await(survivor, id, s -> s.at("/jobs/flaky/status").asText().equals("retrying"), 60_000, "flaky retrying");
      }

      victim.kill();
      long removedAt = awaitLog(survivor, "removed: resuming its executions", 60_000);

      // Watched through the registry only: a status query would itself wake an execution.
      long deadline = removedAt + 10_000;
      Set<String> running = Set.of();
      while (System.currentTimeMillis() < deadline) {
        Set<String> now = runningAttempts(survivor);
        running = now;
        if (ids.stream().allMatch(id -> retried(now, id))) {
          break;
        }
        Thread.sleep(200);
      }
      long late = System.currentTimeMillis() - removedAt;
      Set<String> seen = running;
      System.out.println("every execution dispatching again " + late + " ms after the victim's removal");
      assertTrue(ids.stream().allMatch(id -> retried(seen, id)),
          "every second attempt running within 10 s of the victim's removal; after " + late + " ms: " + seen);
      for (String id : ids) {
        JsonNode s = await(survivor, id, st -> true, 10_000, id);
        assertEquals(1, s.at("/jobs/first/attempts").asInt(), "completed work is not run again");
      }
    }
  }

  /** A later attempt than the first of the flaky job runs (the second, or a third if the second ran on the victim). */
  private static boolean retried(Set<String> running, String executionId) {
    return running.stream().anyMatch(a -> a.startsWith(executionId + ":flaky:") && !a.endsWith(":flaky:1"));
  }

  /** The attempts the workers of the survivor's registry run. */
  private static Set<String> runningAttempts(NodeJvm node) throws Exception {
    Set<String> attempts = new HashSet<>();
    try {
      for (JsonNode w : JSON.readTree(node.get("/workers/list").body())) {
        w.path("assignedJobs").forEach(j -> attempts.add(j.get("attemptId").asText()));
      }
    } catch (java.io.IOException e) {
      // not answering right now
    }
    return attempts;
  }

  private NodeJvm node(String name, int port, int seedPort) throws Exception {
    return NodeJvm.Spec.of(dir, name, prefix.get()).heap("512m").cluster("127.0.0.1", port)
        .seeds(List.of("127.0.0.1:" + seedPort)).worker(null, 8).build();
  }

  private static long awaitLog(NodeJvm node, String line, long withinMs) throws Exception {
    long deadline = System.currentTimeMillis() + withinMs;
    while (System.currentTimeMillis() < deadline) {
      if (Files.readString(node.log).contains(line)) {
        return System.currentTimeMillis();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + line + "' in the survivor's log within " + withinMs + " ms:\n"
        + Files.readString(node.log));
  }

  private static JsonNode await(NodeJvm node, String id, java.util.function.Predicate<JsonNode> done, long withinMs,
      String what) throws Exception {
    long deadline = System.currentTimeMillis() + withinMs;
    JsonNode last = null;
    do {
      try {
        last = JSON.readTree(node.get("/execute/" + id + "/status").body());
        if (last.has("jobs") && done.test(last)) {
          return last;
        }
      } catch (java.io.IOException e) {
        // not answering yet
      }
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("timed out waiting for " + what + "; last status: " + last);
  }
}
