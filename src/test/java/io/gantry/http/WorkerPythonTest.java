package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example worker {@code examples/workers/http_worker.py} against a real node (1 s heartbeat interval): it
 * registers, long-polls, trains with checkpoints and completes; killed, its job resumes from the checkpoint on
 * another worker. Skipped when python3 is not installed.
 */
class WorkerPythonTest {
  static final Path SCRIPT = Path.of("examples/workers/http_worker.py");
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().config("gantry.worker.heartbeat-interval = 1s").build();
  static final TestHttpClient api = node.http();
  final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() {
    assumeTrue(HealthWhenDownTest.onPath("python3"), "python3 is not installed");
    assumeTrue(Files.exists(SCRIPT), SCRIPT + " is missing");
  }

  @AfterEach
  void killWorkers() {
    workers.forEach(Process::destroyForcibly);
  }

  Process startWorker(String id) throws IOException {
    Path log = Path.of("target", "python-worker-" + id + ".log");
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder("python3", "-u", SCRIPT.toString(), "--server", api.base(), "--worker-id", id,
        "--job-types", "py-train", "--capabilities", "cpu", "--concurrency", "1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    workers.add(p);
    Await.until(() -> api.get("/workers/" + id + "/status"), a -> a.status() == 200, Duration.ofSeconds(20),
        "python worker " + id + " to register (log: " + log + ")");
    return p;
  }

  static String submitTraining(int epochs, double epochSeconds) {
    return Await.result(node.gantry().submit(DagParser.parse("""
        {"workflowId": "py", "jobs": [
          {"id": "train", "type": "py-train", "maxRetries": 0,
           "config": {"epochs": %d, "epochSeconds": %s, "learningRate": 0.003, "layers": 4}},
          {"id": "report", "type": "noop", "dependsOn": ["train"]}]}""".formatted(epochs, epochSeconds))))
        .executionId();
  }

  static ExecutionState awaitCompleted(String executionId) {
    return Await.until(() -> Await.result(node.gantry().status(executionId)), s -> s.status().finished(),
        Duration.ofSeconds(60), "execution " + executionId + " to finish");
  }

  @Test
  void thePythonWorkerRunsAJobAndDeregistersOnCtrlC() throws Exception {
    Process p = startWorker("py-one");
    JsonNode registered = api.get("/workers/py-one/status").json();
    assertEquals("http", registered.get("kind").asText());
    assertEquals("[\"py-train\"]", registered.get("jobTypes").toString());

    ExecutionState s = awaitCompleted(submitTraining(3, 0.1));
    assertEquals(ExecutionStatus.COMPLETED, s.status(), s.toString());
    JsonNode output = s.jobResults().get("train").output();
    assertEquals(3, output.get("epochs").asInt());
    assertTrue(output.get("accuracy").asDouble() > 0.5, output.toString());
    assertEquals("py-one", s.jobResults().get("train").workerId());
    assertTrue(s.jobResults().get("train").logs().contains("completed") || s.jobResults().get("train").logs()
        .contains("started attempt"), s.jobResults().get("train").logs());
    assertEquals(output, s.jobResults().get("report").output().get("inputs").get("train"));

    new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the worker stops on SIGINT");
    assertEquals("offline", api.get("/workers/py-one/status").json().get("status").asText());
  }

  @Test
  void aKilledPythonWorkersJobResumesFromItsCheckpointOnAnother() throws Exception {
    Process first = startWorker("py-first");
    String executionId = submitTraining(12, 0.25);
    Await.until(() -> Await.result(node.gantry().job(executionId, "train")),
        d -> d.lastCheckpoint() != null && d.lastCheckpoint().path("epoch").asInt() >= 2, Duration.ofSeconds(30),
        "a checkpoint of epoch 2");
    first.destroyForcibly().waitFor();

    startWorker("py-second");
    ExecutionState s = awaitCompleted(executionId);
    assertEquals(ExecutionStatus.COMPLETED, s.status(), s.toString());
    JsonNode output = s.jobResults().get("train").output();
    assertEquals("py-second", s.jobResults().get("train").workerId());
    assertTrue(output.get("resumedFromEpoch").asInt() >= 2, output.toString());
    assertEquals(2, s.jobs().get("train").attempts());
    JobDetail detail = Await.result(node.gantry().job(executionId, "train"));
    assertEquals(12, detail.lastCheckpoint().get("epoch").asInt());
    assertEquals("offline", api.get("/workers/py-first/status").json().get("status").asText());
  }
}
