package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobStatus;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker reports only for the attempts it was handed: progress or a result for an attempt running on another
 * worker is refused with 403 and changes nothing; its own worker then completes it as usual.
 */
class WorkerBindingTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").api().build();
  static final TestHttpClient api = node.http();
  static final WorkerHeartbeats heartbeats = new WorkerHeartbeats(api);

  @AfterAll
  static void stop() {
    heartbeats.close();
  }

  @Test
  void anotherWorkersAttemptIsRefusedWith403AndNothingChanges() {
    String owner = register("{\"workerId\": \"owner\", \"jobTypes\": [\"t-bound\"]}");
    String intruder = register("{\"workerId\": \"intruder\", \"jobTypes\": [\"t-other\"]}");
    String id = Await.result(node.gantry().submit(DagParser.parse("{\"workflowId\": \"bound\", \"jobs\": [{\"id\": "
        + "\"j\", \"type\": \"t-bound\", \"maxRetries\": 0}]}"))).executionId();
    TestHttpClient.Answer polled = api.post("/workers/" + owner + "/poll", "{\"max\": 1, \"waitMs\": 10000}");
    assertEquals(1, polled.json().size(), polled.body());
    String attempt = polled.json().get(0).get("attemptId").asText();
    Await.until(() -> job(id).status(), s -> s == JobStatus.RUNNING, Duration.ofSeconds(10), "j running");

    TestHttpClient.Answer progress = api.post("/workers/" + intruder + "/jobs/" + attempt + "/progress",
        "{\"percent\": 99, \"message\": \"not mine\"}");
    assertEquals(403, progress.status(), progress.body());
    assertEquals("FORBIDDEN", progress.json().path("error").path("code").asText(), progress.body());
    TestHttpClient.Answer complete = api.post("/workers/" + intruder + "/jobs/" + attempt + "/complete",
        "{\"success\": true, \"output\": {\"forged\": true}}");
    assertEquals(403, complete.status(), complete.body());
    assertTrue(complete.json().path("error").path("message").asText().contains("owner"), complete.body());

    JobDetail unchanged = job(id);
    assertEquals(JobStatus.RUNNING, unchanged.status(), "the refused result changed the job");
    assertEquals("owner", unchanged.workerId());

    assertEquals(200, api.post("/workers/" + owner + "/jobs/" + attempt + "/complete",
        "{\"success\": true, \"output\": {\"by\": \"owner\"}}").status());
    ExecutionState done = Await.until(() -> Await.result(node.gantry().status(id)),
        s -> s.status() == ExecutionStatus.COMPLETED, Duration.ofSeconds(10), "completed");
    JsonNode output = Await.result(node.gantry().result(id, "j")).output();
    assertEquals("owner", output.path("by").asText(), done.toString());
  }

  private static String register(String body) {
    TestHttpClient.Answer a = api.post("/workers/register", body);
    assertEquals(201, a.status(), a.body());
    String id = a.json().get("workerId").asText();
    heartbeats.keep(id);
    return id;
  }

  private static JobDetail job(String executionId) {
    return Await.result(node.gantry().job(executionId, "j"));
  }
}
