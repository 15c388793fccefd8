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

/**
 * An HTTP worker that lists the attempts it runs ({@code runningAttempts}) in its registration and heartbeats keeps
 * them across a restart of the registry: they are adopted back, not declared orphans and run a second time.
 */
class HttpWorkerReadoptionTest {

  static final String REGISTER = """
      {"workerId": "%s", "hostname": "h", "pid": 1, "capabilities": ["cpu"], "maxConcurrency": 2,
       "jobTypes": ["readopt"], "runningAttempts": %s}""";

  @Test
  void aRestartedRegistryAdoptsWhatAnHttpWorkerSaysItRuns() throws Exception {
    // No cluster worker; a short grace, so that an unclaimed attempt would be declared lost within seconds.
    try (TestNode node = TestNode.builder().roles("orchestrator").api()
        .config("gantry.failover.unreachable-grace = 1s").build().start()) {
      TestHttpClient api = node.http();
      assertEquals(201, api.post("/workers/register", REGISTER.formatted("hw-1", "[]")).status());
      String id = Await.result(node.gantry().submit(DagParser.parse("""
          {"workflowId": "readopt", "jobs": [{"id": "j", "type": "readopt", "maxRetries": 0}]}"""))).executionId();
      JsonNode polled = api.post("/workers/hw-1/poll", "{\"max\": 1, \"waitMs\": 10000}").json();
      assertEquals(1, polled.size(), polled::toString);
      String attemptId = polled.get(0).get("attemptId").asText();
      Await.until(() -> Await.result(node.gantry().status(id)).jobs().get("j").status(),
          s -> s == JobStatus.RUNNING, Duration.ofSeconds(10), "j running");
      assertEquals(200, api.post("/workers/hw-1/heartbeat",
          "{\"currentLoad\": 1, \"runningAttempts\": [\"" + attemptId + "\"]}").status());

      node.restart(); // a new registry, empty; the execution recovers and has its running attempt tracked

      // The worker's next heartbeat is refused (the registry does not know it): it registers again with what it runs.
      Await.until(() -> api.post("/workers/hw-1/heartbeat", "{\"runningAttempts\": [\"" + attemptId + "\"]}")
          .status(), s -> s == 404 || s == 200, Duration.ofSeconds(30), "the API after the restart");
      assertEquals(201, api.post("/workers/register", REGISTER.formatted("hw-1", "[\"" + attemptId + "\"]"))
          .status());
      // Past the new registry's grace (1 s + two agent heartbeats) the attempt is still the job's only one.
      for (int i = 0; i < 8; i++) {
        assertEquals(200, api.post("/workers/hw-1/heartbeat", "{\"runningAttempts\": [\"" + attemptId + "\"]}")
            .status());
        Thread.sleep(1000);
      }
      ExecutionState s = Await.result(node.gantry().status(id));
      assertEquals(JobStatus.RUNNING, s.jobs().get("j").status(), s::toString);
      assertEquals(1, s.jobs().get("j").attempts(), s::toString);
      JsonNode worker = api.get("/workers/hw-1/status").json();
      assertEquals(attemptId, worker.at("/assignedJobs/0/attemptId").asText(), worker::toString);

      TestHttpClient.Answer done = api.post("/workers/hw-1/jobs/" + attemptId + "/complete",
          "{\"success\": true, \"output\": {\"ok\": 1}}");
      assertEquals(200, done.status(), done::toString);
      ExecutionState finished = Await.until(() -> Await.result(node.gantry().status(id)), st -> st.status().finished(),
          Duration.ofSeconds(10), "the execution to finish");
      assertEquals(ExecutionStatus.COMPLETED, finished.status());
      assertEquals(1, finished.jobs().get("j").attempts());
    }
  }

  @Test
  void runningAttemptsMustBeAttemptIds() {
    try (TestNode node = TestNode.startWithApi("")) {
      TestHttpClient api = node.http();
      TestHttpClient.Answer bad = api.post("/workers/register", REGISTER.formatted("hw-bad", "[\"nope\"]"));
      assertEquals(400, bad.status(), bad::toString);
      assertTrue(bad.body().contains("runningAttempts") && bad.body().contains("nope"), bad.body());
      assertEquals(201, api.post("/workers/register", REGISTER.formatted("hw-bad", "[]")).status());
      TestHttpClient.Answer beat = api.post("/workers/hw-bad/heartbeat", "{\"runningAttempts\": [\"x:1\"]}");
      assertEquals(400, beat.status(), beat::toString);
      assertEquals(200, api.post("/workers/hw-bad/heartbeat", "{\"runningAttempts\": []}").status());
    }
  }
}
