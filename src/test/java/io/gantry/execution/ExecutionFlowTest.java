package io.gantry.execution;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.SubmitAccepted;
import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagDocument;
import io.gantry.dag.DagParser;
import io.gantry.protocol.GantryException;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DAGs run end to end on a real single node with the Redis journal, driven through the actor API. */
class ExecutionFlowTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().build();

  static ExecutionState runToEnd(String json) {
    DagDocument doc = DagParser.parse(json);
    SubmitAccepted accepted = Await.result(node.gantry().submit(doc));
    return awaitFinished(accepted.executionId());
  }

  static ExecutionState awaitFinished(String id) {
    return Await.until(() -> Await.result(node.gantry().status(id)), s -> s.status().finished(),
        Duration.ofSeconds(60), "execution " + id + " to finish");
  }

  @Test
  void diamondPassesOutputsToTheJoin() {
    ExecutionState s = runToEnd("""
        {"workflowId": "diamond", "jobs": [
          {"id": "a", "type": "noop", "config": {"output": {"v": 1}}},
          {"id": "b", "type": "noop", "dependsOn": ["a"], "config": {"output": {"v": 2}}},
          {"id": "c", "type": "noop", "dependsOn": ["a"], "config": {"output": {"v": 3}}},
          {"id": "d", "type": "noop", "dependsOn": ["b", "c"]}
        ]}""");
    assertEquals(ExecutionStatus.COMPLETED, s.status());
    assertEquals(4, s.completedJobs().size());
    var inputs = s.jobResults().get("d").output().get("inputs");
    assertEquals(2, inputs.get("b").get("v").asInt());
    assertEquals(3, inputs.get("c").get("v").asInt());
    assertEquals(1, s.jobs().get("d").attempts());
    assertTrue(s.jobs().get("d").startedAt() >= s.jobs().get("b").completedAt());
  }

  @Test
  void fanOutOfAHundredAndFanIn() {
    StringBuilder jobs = new StringBuilder("{\"id\":\"root\",\"type\":\"noop\"}");
    StringBuilder deps = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      jobs.append(",{\"id\":\"m").append(i).append("\",\"type\":\"noop\",\"dependsOn\":[\"root\"],")
          .append("\"config\":{\"output\":").append(i).append("}}");
      deps.append(i == 0 ? "" : ",").append("\"m").append(i).append('"');
    }
    jobs.append(",{\"id\":\"join\",\"type\":\"noop\",\"dependsOn\":[").append(deps).append("]}");
    ExecutionState s = runToEnd("{\"workflowId\":\"fan\",\"jobs\":[" + jobs + "]}");
    assertEquals(ExecutionStatus.COMPLETED, s.status());
    assertEquals(100, s.jobResults().get("join").output().get("inputs").size());
    assertEquals(42, s.jobResults().get("join").output().get("inputs").get("m42").asInt());
  }

  @Test
  void thousandJobDag() {
    StringBuilder jobs = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      // An explicit output: noop's default output nests its inputs, which doubles per layer in this shape.
      jobs.append(i == 0 ? "" : ",").append("{\"id\":\"j").append(i).append("\",\"type\":\"noop\"")
          .append(",\"config\":{\"output\":").append(i).append('}');
      if (i >= 10) {
        jobs.append(",\"dependsOn\":[\"j").append(i - 10).append("\",\"j").append(i - 7).append("\"]");
      }
      jobs.append('}');
    }
    ExecutionState s = runToEnd("{\"workflowId\":\"big\",\"jobs\":[" + jobs + "]}");
    assertEquals(ExecutionStatus.COMPLETED, s.status());
    assertEquals(1000, s.completedJobs().size());
  }

  @Test
  void failedJobSkipsItsDescendantsAndFailsTheExecution() {
    ExecutionState s = runToEnd("""
        {"workflowId": "skip", "jobs": [
          {"id": "a", "type": "noop"},
          {"id": "bad", "type": "fail", "dependsOn": ["a"], "maxRetries": 0, "config": {"message": "boom"}},
          {"id": "after", "type": "noop", "dependsOn": ["bad"]},
          {"id": "later", "type": "noop", "dependsOn": ["after"]},
          {"id": "side", "type": "noop", "dependsOn": ["a"]}
        ]}""");
    assertEquals(ExecutionStatus.FAILED, s.status());
    assertEquals(JobStatus.FAILED, s.jobs().get("bad").status());
    assertEquals("boom", s.jobs().get("bad").error());
    assertEquals(JobStatus.SKIPPED, s.jobs().get("after").status());
    assertEquals(JobStatus.SKIPPED, s.jobs().get("later").status());
    assertEquals(JobStatus.COMPLETED, s.jobs().get("side").status());
    assertEquals(1, s.jobs().get("bad").attempts());
  }

  @Test
  void retriesHonourTheBackoffDelays() {
    ExecutionState s = runToEnd("""
        {"workflowId": "retry", "jobs": [
          {"id": "flaky", "type": "fail", "maxRetries": 3, "config": {"times": 2},
           "backoff": {"initialMs": 300, "multiplier": 2.0, "maxMs": 10000}}
        ]}""");
    assertEquals(ExecutionStatus.COMPLETED, s.status());
    assertEquals(3, s.jobs().get("flaky").attempts());
    JobDetail d = Await.result(node.gantry().job(s.executionId(), "flaky"));
    var h = d.attemptHistory();
    assertEquals(3, h.size());
    long gap1 = h.get(1).startedAt() - h.get(0).endedAt();
    long gap2 = h.get(2).startedAt() - h.get(1).endedAt();
    assertTrue(gap1 >= 300 && gap1 < 2000, "first retry after ~300 ms, was " + gap1);
    assertTrue(gap2 >= 600 && gap2 < 2500, "second retry after ~600 ms, was " + gap2);
    assertEquals("failed", h.get(0).outcome());
    assertEquals("completed", h.get(2).outcome());
  }

  @Test
  void submitIsIdempotentByExecutionId() {
    String doc = """
        {"workflowId": "idem", "executionId": "idem-1", "jobs": [{"id": "a", "type": "noop"}]}""";
    SubmitAccepted first = Await.result(node.gantry().submit(DagParser.parse(doc)));
    SubmitAccepted second = Await.result(node.gantry().submit(DagParser.parse(doc)));
    assertTrue(first.created());
    assertFalse(second.created());
    assertEquals("idem-1", second.executionId());
    GantryException conflict = assertThrows(GantryException.class, () -> Await.result(node.gantry().submit(
        DagParser.parse("{\"workflowId\": \"idem\", \"executionId\": \"idem-1\", \"jobs\": [{\"id\": \"b\", \"type\": \"noop\"}]}"))));
    assertEquals("CONFLICT", conflict.code());
    assertEquals(ExecutionStatus.COMPLETED, awaitFinished("idem-1").status());
  }

  @Test
  void unknownExecutionIsNotFound() {
    GantryException e = assertThrows(GantryException.class, () -> Await.result(node.gantry().status("nope")));
    assertEquals("NOT_FOUND", e.code());
  }
}
