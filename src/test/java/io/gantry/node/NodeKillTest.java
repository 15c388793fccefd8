package io.gantry.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A node stopped in the middle of a DAG (SIGKILL, or SIGTERM), started again on the same Redis, goes on by itself. */
@Tag("slow")
class NodeKillTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @RegisterExtension
  final RedisPrefix prefix = new RedisPrefix();

  @Test
  void aKilledNodeFinishesItsExecutionsAfterARestart() throws Exception {
    try (NodeJvm node = NodeJvm.Spec.of(dir, "node", prefix.get()).heap("512m").build()) {
      node.start();
      var submitted = node.post("/execute/distributed", """
          {"workflowId": "kill-9", "executionId": "killed-mid-dag", "jobs": [
            {"id": "a", "type": "noop", "config": {"output": {"from": "a"}}},
            {"id": "b", "type": "sleep", "dependsOn": ["a"], "config": {"ms": 4000}},
            {"id": "c", "type": "noop", "dependsOn": ["b"]},
            {"id": "side", "type": "sleep", "config": {"ms": 4000}}
          ]}""");
      assertEquals(202, submitted.statusCode(), submitted.body());
      awaitJob(node, "b", "running");

      node.kill();
      node.start();

      JsonNode done = await(node, s -> s.get("status").asText().equals("completed"), "completion after restart");
      assertEquals(1, done.get("jobs").get("a").get("attempts").asInt(), "completed work is not run again");
      assertTrue(done.get("jobs").get("b").get("attempts").asInt() >= 2, "the killed attempt ran again");
      assertTrue(done.get("jobResults").get("c").get("output").get("inputs").has("b"));
      assertTrue(Files.readString(node.log).contains("resuming 1 unfinished execution"));
    }
  }

  @Test
  void sigtermHandsRunningAttemptsBackBeforeTheNodeStops() throws Exception {
    try (NodeJvm node = NodeJvm.Spec.of(dir, "node", prefix.get()).heap("512m").build()) {
      node.start();
      var submitted = node.post("/execute/distributed", """
          {"workflowId": "sigterm", "executionId": "killed-mid-dag", "jobs": [
            {"id": "a", "type": "noop"},
            {"id": "b", "type": "sleep", "dependsOn": ["a"], "config": {"ms": 60000}}
          ]}""");
      assertEquals(202, submitted.statusCode(), submitted.body());
      awaitJob(node, "b", "running");

      long stoppedIn = node.terminate();
      assertTrue(stoppedIn < 30_000, "SIGTERM stops the node promptly, took " + stoppedIn + " ms");
      assertTrue(Files.readString(node.log).contains("handing back 1 running attempt"), Files.readString(node.log));

      node.start();
      JsonNode again = await(node, s -> s.get("jobs").get("b").get("status").asText().equals("running")
          && s.get("jobs").get("b").get("attempts").asInt() == 2, "b running again as a second attempt");
      assertEquals(1, again.get("jobs").get("a").get("attempts").asInt());
    }
  }

  private static JsonNode status(NodeJvm node) throws Exception {
    return JSON.readTree(node.get("/execute/killed-mid-dag/status").body());
  }

  private static void awaitJob(NodeJvm node, String job, String status) throws Exception {
    await(node, s -> s.get("jobs").get(job).get("status").asText().equals(status), job + " " + status);
  }

  private static JsonNode await(NodeJvm node, java.util.function.Predicate<JsonNode> done, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = status(node);
        if (last.has("jobs") && done.test(last)) {
          return last;
        }
      } catch (java.io.IOException e) {
        // restarting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + "; last status: " + last);
  }
}
