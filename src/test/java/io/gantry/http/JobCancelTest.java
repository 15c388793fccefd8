package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cancelling one job of a DAG, and draining the queue, from every status a job can be in before it settles. */
class JobCancelTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();
  static final TestHttpClient api = node.http();

  @Test
  void drainCancelsAQueuedJobOfADagAndTheExecutionEndsConsistently() {
    assertEquals(200, api.post("/queue/pause", "").status());
    String id;
    try {
      id = api.submitted("""
          {"workflowId": "drain-dag", "jobs": [
            {"id": "a", "type": "noop"},
            {"id": "b", "type": "noop", "dependsOn": ["a"]}
          ]}""");
      api.until("/execute/" + id + "/status", s -> s.at("/jobs/a/status").asText().equals("queued"), "a queued");
      TestHttpClient.Answer drained = api.post("/queue/drain", "");
      assertEquals(200, drained.status(), drained::toString);
      assertEquals(1, drained.json().get("removed").asInt(), drained::toString);
    } finally {
      assertEquals(200, api.post("/queue/resume", "").status());
    }
    JsonNode done = api.awaitFinished(id);
    assertEquals("cancelled", done.get("status").asText(), done::toString);
    assertEquals("cancelled", done.at("/jobs/a/status").asText(), done::toString);
    assertEquals(0, done.at("/jobs/a/attempts").asInt(), done::toString);
    assertEquals("skipped", done.at("/jobs/b/status").asText(), done::toString);
    assertEquals("cancelled", api.get("/queue/jobs/" + id + ":a").json().get("status").asText());

    // The recorded history is consistent: a retry runs both jobs to completion.
    assertEquals(200, api.post("/execute/" + id + "/retry", "").status());
    JsonNode again = api.awaitFinished(id);
    assertEquals("completed", again.get("status").asText(), again::toString);
  }

  @Test
  void cancelJobWorksFromWaitingQueuedRunningAndRetrying() {
    var gantry = node.gantry();
    String id = Await.result(gantry.submit(DagParser.parse("""
        {"workflowId": "cancel-each", "jobs": [
          {"id": "queued", "type": "noop", "requirements": {"minGpuCount": 64}},
          {"id": "waiting", "type": "noop", "dependsOn": ["queued"]},
          {"id": "running", "type": "sleep", "config": {"ms": 60000}},
          {"id": "retrying", "type": "fail", "maxRetries": 3, "backoff": {"initialMs": 60000}},
          {"id": "keep", "type": "sleep", "config": {"ms": 60000}}
        ]}"""))).executionId();
    Await.until(() -> Await.result(gantry.status(id)), s -> s.jobs().get("running").status() == JobStatus.RUNNING
        && s.jobs().get("keep").status() == JobStatus.RUNNING
        && s.jobs().get("retrying").status() == JobStatus.RETRYING
        && s.jobs().get("queued").status() == JobStatus.QUEUED, Duration.ofSeconds(30), "every status reached");

    for (String job : new String[] {"waiting", "running", "retrying", "queued"}) {
      ExecutionState s = Await.result(gantry.cancelJob(id, job));
      assertEquals(JobStatus.CANCELLED, s.jobs().get(job).status(), job + ": " + s);
      assertEquals(ExecutionStatus.RUNNING, s.status(), job + ": the rest goes on: " + s);
    }
    ExecutionState after = Await.result(gantry.status(id));
    assertEquals(JobStatus.RUNNING, after.jobs().get("keep").status(), after::toString);
    var refused = assertThrows(RuntimeException.class, () -> Await.result(gantry.cancelJob(id, "running")));
    assertTrue(refused.getMessage().contains("already cancelled"), refused.getMessage());

    ExecutionState last = Await.result(gantry.cancelJob(id, "keep"));
    assertEquals(ExecutionStatus.CANCELLED, last.status(), last::toString);
    // Nothing is dispatched after the cancel: the cancelled attempts stay at what they were.
    ExecutionState settled = Await.result(gantry.status(id));
    assertEquals(1, settled.jobs().get("running").attempts(), settled::toString);
    assertEquals(0, settled.jobs().get("queued").attempts(), settled::toString);
  }
}
