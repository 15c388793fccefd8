package io.gantry.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Python worker library (clients/python), installed with pip, against a real node with an auth token and a 1 s
 * heartbeat interval: a worker process registers with what it detected, runs a DAG's Python jobs (progress,
 * checkpoints, a failing attempt retried and resumed from its checkpoint), and on SIGTERM hands its running job
 * back and deregisters; the job then resumes on another worker; frozen (SIGSTOP) past its ttl, it registers again.
 * Also runs the library's own unittest suite.
 * python3 is required (bin/test installs Debian's when root): without it this test fails, it does not skip.
 */
@Tag("slow")
class PythonWorkerTest {
  static final Path LIBRARY = Path.of("clients", "python");
  static final Path WORKER = LIBRARY.resolve("tests").resolve("e2e_worker.py");
  static final String TOKEN = "py-" + UUID.randomUUID();
  static TestNode node;
  static TestHttpClient api;
  static final Path INSTALL_LOG = Path.of("target", "python-lib-install.log").toAbsolutePath();
  static Path pythonPath;
  static boolean installedWithPip;
  final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    if (!onPath("python3")) {
      fail("python3 is not installed: install Debian's python3 package (bin/test does so when run as root)");
    }
    Path target = Path.of("target", "python-lib").toAbsolutePath();
    Process pip = startInstall(target);  // while the node starts
    node = TestNode.startWithApi("gantry.worker.heartbeat-interval = 1s\ngantry.http.auth-token = \"" + TOKEN + "\"");
    api = new TestHttpClient(node.httpBase(), TOKEN);
    pythonPath = pip == null ? LIBRARY.toAbsolutePath() : awaitInstall(pip, target);
  }

  /** Starts pip-installing the library into {@code target} (offline: its build backend is in the tree). */
  static Process startInstall(Path target) throws Exception {
    if (run(List.of("python3", "-m", "pip", "--version"), Path.of("."), Path.of("target", "pip-version.log")) != 0) {
      System.err.println("PythonWorkerTest: python3 has no pip; the library is used from " + LIBRARY);
      return null;
    }
    deleteTree(target);
    Files.createDirectories(INSTALL_LOG.getParent());
    return new ProcessBuilder("python3", "-m", "pip", "install", "--no-index", "--no-deps", "--no-cache-dir",
        "--disable-pip-version-check", "--target", target.toString(), LIBRARY.toString())
        .redirectErrorStream(true).redirectOutput(INSTALL_LOG.toFile()).start();
  }

  static Path awaitInstall(Process pip, Path target) throws Exception {
    if (!pip.waitFor(120, TimeUnit.SECONDS)) {
      pip.destroyForcibly();
      fail("pip install ./clients/python did not finish within 120 s: " + Files.readString(INSTALL_LOG));
    }
    assertEquals(0, pip.exitValue(), "pip install ./clients/python: " + Files.readString(INSTALL_LOG));
    assertTrue(Files.exists(target.resolve("gantry_worker").resolve("worker.py")), Files.readString(INSTALL_LOG));
    installedWithPip = true;
    return target;
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /**
   * Workers still running leave as they should (SIGTERM), so that no worker of this case is left in the registry
   * for the next: a killed worker's pending long poll could still be handed a job until it expires.
   */
  @AfterEach
  void stopWorkers() throws InterruptedException {
    for (Process p : workers) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theLibrarysUnitTestsPass() throws Exception {
    Path log = Path.of("target", "python-unittest.log").toAbsolutePath();
    int exit = run(List.of("python3", "-m", "unittest", "discover", "-s", "tests", "-t", "."), LIBRARY, log);
    String out = Files.readString(log);
    assertEquals(0, exit, out);
    assertTrue(out.matches("(?s).*Ran [1-9][0-9]* tests.*\\nOK\\s*"), out);
  }

  @Test
  void aWorkerRunsADagWithProgressCheckpointsAndARetryThenLeavesOnSigterm() throws Exception {
    Process worker = startWorker("py-dag");
    JsonNode registered = api.get("/workers/py-dag/status").json();
    assertEquals("http", registered.path("kind").asText());
    assertEquals("[\"prepare\",\"steps\",\"train\"]", registered.path("jobTypes").toString());
    assertEquals("[\"cpu\"]", registered.path("capabilities").toString(), registered.toString());
    assertEquals(2, registered.path("maxConcurrency").asInt());
    assertTrue(registered.path("metadata").path("cpuCores").asInt() >= 1, registered.toString());
    assertTrue(registered.path("metadata").path("memoryGB").asDouble() > 0, registered.toString());

    String id = submit("""
        {"workflowId": "py-lib", "jobs": [
          {"id": "prepare", "type": "prepare", "config": {"rows": 1200}},
          {"id": "train", "type": "train", "dependsOn": ["prepare"], "maxRetries": 2,
           "backoff": {"initialMs": 200, "multiplier": 1.0, "maxMs": 200},
           "config": {"epochs": 5, "failAtEpoch": 3}},
          {"id": "report", "type": "noop", "dependsOn": ["train"]}]}""");
    JsonNode s = awaitFinished(id);
    assertEquals("completed", s.path("status").asText(), s.toString());
    JsonNode results = s.path("jobResults");
    assertEquals(1200, results.path("prepare").path("output").path("rows").asInt());
    assertEquals("py-dag", results.path("prepare").path("workerId").asText());
    JsonNode train = results.path("train").path("output");
    assertEquals(2, train.path("attempt").asInt(), train.toString());
    assertEquals(2, train.path("resumedFromEpoch").asInt(), "the retry resumed from the last checkpoint: " + train);
    assertEquals(1200, train.path("rows").asInt(), "dependency outputs reach the job: " + train);
    assertEquals(train, results.path("report").path("output").path("inputs").path("train"));
    assertTrue(results.path("train").path("logs").asText().contains("started attempt 2 (train), resuming from"),
        results.path("train").toString());

    JsonNode detail = api.get("/execute/" + id + "/jobs/train").json();
    assertEquals(2, detail.path("attempts").asInt(), detail.toString());
    assertEquals(5, detail.path("lastCheckpoint").path("epoch").asInt(), detail.toString());
    JsonNode first = detail.path("attemptHistory").path(0);
    assertTrue(first.path("error").asText().contains("RuntimeError: simulated crash at epoch 3"), detail.toString());
    assertEquals("py-dag", first.path("workerId").asText(), detail.toString());

    String events = api.get("/execute/" + id + "/events").body();
    assertTrue(events.contains("half the rows"), "prepare's progress is an event: " + events);
    assertTrue(events.contains("epoch 5"), "train's progress is an event: " + events);
    assertTrue(events.contains("job-retrying"), events);

    assertLeavesOnSigterm(worker, "py-dag");
    String log = Files.readString(logOf("py-dag"));
    if (installedWithPip) {
      assertTrue(log.contains("gantry_worker from " + pythonPath), "the installed library ran: " + log);
    }
    assertTrue(log.contains("\"executionId\": \"" + id + "\"") && log.contains("\"attemptId\": \"" + id + ":train:2\""),
        "job log lines carry executionId and attemptId: " + log);
  }

  @Test
  void onSigtermARunningJobIsHandedBackAndResumesOnAnotherWorker() throws Exception {
    Process leaving = startWorker("py-leaving");
    String id = submit("""
        {"workflowId": "py-lib", "jobs": [{"id": "long", "type": "steps", "maxRetries": 0,
          "config": {"steps": 18}}]}""");
    Await.until(() -> api.get("/execute/" + id + "/jobs/long").json(),
        d -> d.path("lastCheckpoint").path("step").asInt() >= 3, Duration.ofSeconds(20), "a checkpoint of step 3");
    assertLeavesOnSigterm(leaving, "py-leaving");
    JsonNode handedBack = api.get("/execute/" + id + "/jobs/long").json();
    assertFalse(List.of("failed", "completed").contains(handedBack.path("status").asText()), handedBack.toString());

    startWorker("py-taking-over");
    JsonNode s = awaitFinished(id);
    assertEquals("completed", s.path("status").asText(), "a handed-back attempt does not count as a failure: " + s);
    JsonNode output = s.path("jobResults").path("long").path("output");
    assertEquals("py-taking-over", output.path("worker").asText());
    assertTrue(output.path("resumedFromStep").asInt() >= 3, output.toString());
    assertEquals(2, s.path("jobs").path("long").path("attempts").asInt(), s.toString());
  }

  @Test
  void aWorkerGantryExpiredRegistersAgainAndWorksOn() throws Exception {
    Process worker = startWorker("py-frozen");
    signal(worker, "STOP");  // silent past its ttl (2 s): Gantry expires it
    try {
      Await.until(() -> api.get("/workers/py-frozen/status").json().path("status").asText(), "offline"::equals,
          Duration.ofSeconds(15), "the frozen worker to expire");
    } finally {
      signal(worker, "CONT");
    }
    Await.until(() -> api.get("/workers/py-frozen/status").json().path("status").asText(),
        status -> !status.equals("offline"), Duration.ofSeconds(15), "the worker to register again");
    JsonNode s = awaitFinished(submit("""
        {"workflowId": "py-lib", "jobs": [{"id": "prepare", "type": "prepare", "config": {"rows": 7}}]}"""));
    assertEquals("completed", s.path("status").asText(), s.toString());
    assertEquals("py-frozen", s.path("jobResults").path("prepare").path("workerId").asText(), s.toString());
    assertTrue(Files.readString(logOf("py-frozen")).contains("registering again"), Files.readString(logOf("py-frozen")));
  }

  static void signal(Process p, String signal) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
  }

  void assertLeavesOnSigterm(Process worker, String id) throws Exception {
    long sent = System.nanoTime();
    signal(worker, "TERM");
    assertTrue(worker.waitFor(15, TimeUnit.SECONDS), "the worker stops on SIGTERM");
    System.err.printf("PythonWorkerTest: %s left %d ms after SIGTERM%n", id, (System.nanoTime() - sent) / 1_000_000);
    assertEquals(0, worker.exitValue(), Files.readString(logOf(id)));
    assertEquals("offline", api.get("/workers/" + id + "/status").json().path("status").asText());
    assertTrue(Files.readString(logOf(id)).contains("deregistered"), Files.readString(logOf(id)));
  }

  Process startWorker(String id) throws IOException {
    Path log = logOf(id);
    ProcessBuilder b = new ProcessBuilder("python3", "-u", WORKER.toString(), api.base(), TOKEN, id)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().put("PYTHONPATH", pythonPath.toString());
    b.environment().put("GANTRY_LOG_FORMAT", "json");
    Process p = b.start();
    workers.add(p);
    Await.until(() -> api.get("/workers/" + id + "/status"), a -> a.status() == 200 || !p.isAlive(),
        Duration.ofSeconds(20), "python worker " + id + " to register (log: " + log + ")");
    assertTrue(p.isAlive(), "the worker exited: " + Files.readString(log));
    return p;
  }

  static Path logOf(String id) {
    return Path.of("target", "python-lib-worker-" + id + ".log");
  }

  static String submit(String dag) {
    TestHttpClient.Answer a = api.post("/execute/distributed", dag);
    assertEquals(202, a.status(), a.toString());
    String id = a.json().path("executionId").asText();
    assertNotNull(id);
    return id;
  }

  static JsonNode awaitFinished(String id) {
    return Await.until(() -> api.get("/execute/" + id + "/status").json(),
        s -> List.of("completed", "failed", "cancelled").contains(s.path("status").asText()),
        Duration.ofSeconds(30), "execution " + id + " to finish");
  }

  static int run(List<String> command, Path dir, Path log) throws Exception {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toAbsolutePath().toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within 120 s: " + Files.readString(log));
    }
    return p.exitValue();
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
