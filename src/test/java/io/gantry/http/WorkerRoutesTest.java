package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The /workers endpoints against a real node (orchestrator, cluster worker and api) and Redis, with a 1 s heartbeat
 * interval so that expiry shows within seconds. Each test's HTTP workers declare a job type of their own, so the
 * node's cluster worker never takes their jobs and the tests don't take each other's.
 */
class WorkerRoutesTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().config("gantry.worker.heartbeat-interval = 1s").build();
  static final TestHttpClient api = node.http();
  static WorkerHeartbeats heartbeats;

  @BeforeAll
  static void start() {
    heartbeats = new WorkerHeartbeats(api);
  }

  @AfterAll
  static void stop() {
    heartbeats.close();
  }

  /** Registers a live worker that heartbeats until silenced. */
  static String register(String body) {
    TestHttpClient.Answer a = api.post("/workers/register", body);
    assertEquals(201, a.status(), a.body());
    String id = a.json().get("workerId").asText();
    heartbeats.keep(id);
    return id;
  }

  static String submit(String dagJson) {
    return Await.result(node.gantry().submit(DagParser.parse(dagJson))).executionId();
  }

  static String oneJobDag(String type, String config) {
    return "{\"workflowId\": \"wf-" + type + "\", \"jobs\": [{\"id\": \"j\", \"type\": \"" + type + "\", "
        + "\"maxRetries\": 0, \"config\": " + config + "}]}";
  }

  static JobDetail job(String executionId, String jobId) {
    return Await.result(node.gantry().job(executionId, jobId));
  }

  static ExecutionState awaitStatus(String executionId, ExecutionStatus status) {
    return Await.until(() -> Await.result(node.gantry().status(executionId)), s -> s.status() == status,
        Duration.ofSeconds(30), "execution " + executionId + " to be " + status);
  }

  static JsonNode pollOne(String workerId) {
    TestHttpClient.Answer a = api.post("/workers/" + workerId + "/poll", "{\"max\": 1, \"waitMs\": 10000}");
    assertEquals(200, a.status(), a.body());
    assertEquals(1, a.json().size(), a.body());
    return a.json().get(0);
  }

  // ---- registration

  @Test
  void registrationFillsInDefaults() {
    TestHttpClient.Answer a = api.post("/workers/register", "{\"hostname\": \"box\", \"pid\": 42}");
    assertEquals(201, a.status(), a.body());
    String id = a.json().get("workerId").asText();
    assertTrue(id.startsWith("http-"), id);
    assertEquals(1000, a.json().get("heartbeatIntervalMs").asLong());
    assertEquals(2000, a.json().get("ttlMs").asLong());
    heartbeats.keep(id);
    JsonNode w = api.get("/workers/" + id + "/status").json();
    assertEquals("http", w.get("kind").asText());
    assertEquals("default", w.get("pool").asText());
    assertEquals("box", w.get("hostname").asText());
    assertEquals("[\"cpu\"]", w.get("capabilities").toString());
    assertEquals(1, w.get("maxConcurrency").asInt());
    assertEquals("idle", w.get("status").asText());
    assertEquals(0, w.get("assignedJobs").size());
    api.delete("/workers/" + id);
  }

  @Test
  void registrationRejectsBadInputNamingEachField() {
    TestHttpClient.Answer a = api.post("/workers/register",
        "{\"capabilities\": [\"cpu\", \"quantum\"], \"maxConcurrency\": 0, \"jobTypes\": [\"ok\", \"bad type\"]}");
    assertEquals(400, a.status(), a.body());
    assertEquals("INVALID_WORKER", a.errorCode());
    String message = a.json().get("error").get("message").asText();
    assertTrue(message.contains("quantum") && message.contains("maxConcurrency") && message.contains("bad type"),
        message);
    assertEquals(3, a.json().get("error").get("details").size());
    assertEquals(400, api.post("/workers/register", "{\"maxConcurrency\": 1001}").status());
    assertEquals(400, api.post("/workers/register", "{\"workerId\": \"a/b\"}").status());
    assertEquals(400, api.post("/workers/register", "{\"pool\": \"no pool!\"}").status());
    assertEquals(400, api.post("/workers/register", "{\"maxConcurrency\": \"many\"}").status());
    assertEquals(400, api.post("/workers/register", "{\"capabilities\": ").status());
    TestHttpClient.Answer noBody = api.send("POST", "/workers/register", null, null);
    assertTrue(noBody.status() == 400 || noBody.status() == 415, noBody.body());
    assertFalse(noBody.body().contains("Exception"), noBody.body());
  }

  @Test
  void theIdOfALiveClusterWorkerCannotBeTaken() {
    JsonNode cluster = clusterWorker();
    TestHttpClient.Answer a = api.post("/workers/register",
        "{\"workerId\": \"" + cluster.get("workerId").asText() + "\"}");
    assertEquals(409, a.status(), a.body());
    assertEquals("cluster", api.get("/workers/" + cluster.get("workerId").asText() + "/status").json()
        .get("kind").asText());
  }

  static JsonNode clusterWorker() {
    return Await.until(() -> {
      for (JsonNode w : api.get("/workers/list").json()) {
        if (w.get("kind").asText().equals("cluster")) {
          return w;
        }
      }
      return null;
    }, w -> w != null, Duration.ofSeconds(20), "the node's cluster worker to register");
  }

  // ---- listing

  @Test
  void listStatusAndStatsShowHttpAndClusterWorkers() {
    String id = register("""
        {"workerId": "lister", "capabilities": ["cpu", "gpu"], "maxConcurrency": 3, "jobTypes": ["t-list"],
         "metadata": {"cpuCores": 8, "memoryGB": 32, "gpuCount": 1, "version": "1.0", "platform": "test"}}""");
    clusterWorker();
    Set<String> kinds = new HashSet<>();
    boolean found = false;
    for (JsonNode w : api.get("/workers/list").json()) {
      kinds.add(w.get("kind").asText());
      if (w.get("workerId").asText().equals(id)) {
        found = true;
        assertEquals(1, w.get("metadata").get("gpuCount").asInt());
        assertEquals("[\"t-list\"]", w.get("jobTypes").toString());
        assertTrue(w.has("lastHeartbeat") && w.has("registeredAt") && w.has("currentLoad"), w.toString());
      }
    }
    assertTrue(found);
    assertEquals(Set.of("cluster", "http"), kinds);

    TestHttpClient.Answer missing = api.get("/workers/nobody-here/status");
    assertEquals(404, missing.status(), missing.body());
    assertEquals("NOT_FOUND", missing.errorCode());

    JsonNode stats = api.get("/workers/stats").json();
    assertTrue(stats.get("total").asInt() >= 2, stats.toString());
    assertTrue(stats.get("byCapability").get("gpu").asInt() >= 1, stats.toString());
    assertTrue(stats.get("capacity").asInt() >= 3 + 4, stats.toString());
    assertTrue(stats.has("byStatus") && stats.has("load") && stats.has("utilization"), stats.toString());
    api.delete("/workers/" + id);
  }

  @Test
  void aWorkerThatReRegistersInAnotherPoolMovesThere() {
    String id = register("{\"workerId\": \"mover\", \"jobTypes\": [\"t-move\"]}");
    assertEquals(201, api.post("/workers/register",
        "{\"workerId\": \"mover\", \"pool\": \"side-pool\", \"jobTypes\": [\"t-move\"]}").status());
    assertEquals("side-pool", api.get("/workers/" + id + "/status").json().get("pool").asText());
    Set<String> pools = new HashSet<>();
    for (JsonNode w : api.get("/workers/list").json()) {
      if (w.get("workerId").asText().equals(id) && !w.get("status").asText().equals("offline")) {
        pools.add(w.get("pool").asText());
      }
    }
    assertEquals(Set.of("side-pool"), pools, "listed live in the new pool only");
    assertEquals(1, api.get("/workers/stats").json().get("byPool").get("side-pool").asInt());
    assertEquals(200, api.delete("/workers/" + id).status());
  }

  // ---- heartbeat and poll input

  @Test
  void heartbeatAnswersAndUnknownWorkersMustRegister() {
    String id = register("{\"jobTypes\": [\"t-hb\"]}");
    TestHttpClient.Answer a = api.post("/workers/" + id + "/heartbeat", "{\"currentLoad\": 0}");
    assertEquals(200, a.status(), a.body());
    assertEquals(2000, a.json().get("ttlMs").asLong());
    assertEquals(200, api.send("POST", "/workers/" + id + "/heartbeat", null, null).status());
    assertEquals(400, api.post("/workers/" + id + "/heartbeat", "{\"currentLoad\": -1}").status());
    TestHttpClient.Answer unknown = api.post("/workers/ghost/heartbeat", "{}");
    assertEquals(404, unknown.status(), unknown.body());
    assertEquals(404, api.delete("/workers/ghost").status());
    api.delete("/workers/" + id);
  }

  @Test
  void pollValidatesItsLimitsAndAnswersEmptyAfterTheWait() {
    String id = register("{\"jobTypes\": [\"t-nothing\"]}");
    assertEquals(400, api.post("/workers/" + id + "/poll", "{\"waitMs\": 30001}").status());
    assertEquals(400, api.post("/workers/" + id + "/poll", "{\"max\": 0}").status());
    assertEquals(400, api.post("/workers/" + id + "/poll", "{\"max\": 101}").status());
    assertEquals(404, api.post("/workers/ghost/poll", "{\"waitMs\": 10}").status());
    long start = System.nanoTime();
    TestHttpClient.Answer a = api.post("/workers/" + id + "/poll", "{\"max\": 5, \"waitMs\": 400}");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, a.status(), a.body());
    assertEquals(0, a.json().size());
    assertTrue(tookMs >= 350, "answered after " + tookMs + " ms");
    api.delete("/workers/" + id);
  }

  // ---- running jobs

  @Test
  void aLongPollIsAnsweredAsSoonAsAJobIsOfferedAndTheJobRunsToCompletion() throws Exception {
    String id = register("{\"workerId\": \"runner\", \"jobTypes\": [\"t-run\"], \"maxConcurrency\": 2}");
    CompletableFuture<TestHttpClient.Answer> poll = CompletableFuture.supplyAsync(
        () -> api.post("/workers/" + id + "/poll", "{\"max\": 2, \"waitMs\": 20000}"));
    Thread.sleep(300);
    long submitted = System.nanoTime();
    String executionId = submit("""
        {"workflowId": "http-run", "jobs": [
          {"id": "a", "type": "t-run", "timeoutMs": 60000, "config": {"x": 1}},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
    TestHttpClient.Answer answer = poll.get();
    assertTrue((System.nanoTime() - submitted) / 1_000_000 < 5000, "the poll waited for its full wait");
    assertEquals(200, answer.status(), answer.body());
    assertEquals(1, answer.json().size(), answer.body());
    JsonNode job = answer.json().get(0);
    String attemptId = job.get("attemptId").asText();
    assertEquals(executionId, job.get("executionId").asText());
    assertEquals("a", job.get("jobId").asText());
    assertEquals("t-run", job.get("type").asText());
    assertEquals(1, job.get("config").get("x").asInt());
    assertEquals(1, job.get("attempt").asInt());
    assertEquals(60000, job.get("timeoutMs").asLong());
    assertTrue(job.has("dependencyOutputs") && job.has("lastCheckpoint"), job.toString());

    Await.until(() -> job(executionId, "a"), d -> d.status() == JobStatus.RUNNING && id.equals(d.workerId()),
        Duration.ofSeconds(10), "job a to show running on " + id);
    JsonNode assigned = api.get("/workers/" + id + "/status").json().get("assignedJobs");
    assertEquals(attemptId, assigned.get(0).get("attemptId").asText());

    String jobPath = "/workers/" + id + "/jobs/" + attemptId;
    assertEquals(200, api.post(jobPath + "/progress", "{\"percent\": 50, \"message\": \"half\"}").status());
    assertEquals(400, api.post(jobPath + "/progress", "{\"percent\": 150}").status());
    assertEquals(200, api.post(jobPath + "/progress", "{\"logs\": \"epoch 1\\nepoch 2\\n\"}").status());
    TestHttpClient.Answer flood = api.post(jobPath + "/progress", "{\"logs\": \"" + "x".repeat(70_000) + "\"}");
    assertEquals(400, flood.status(), flood.body());
    assertTrue(flood.body().contains("logs must be at most 65536 characters"), flood.body());
    assertEquals(400, api.post(jobPath + "/complete", "{\"output\": {}}").status());
    TestHttpClient.Answer done = api.post(jobPath + "/complete", """
        {"success": true, "output": {"v": 42}, "logs": ["line 1", "line 2"],
         "metadata": {"executionTime": 5, "memoryUsed": 1024}}""");
    assertEquals(200, done.status(), done.body());

    ExecutionState s = awaitStatus(executionId, ExecutionStatus.COMPLETED);
    assertEquals(42, s.jobResults().get("b").output().get("inputs").get("a").get("v").asInt());
    assertEquals(id, s.jobResults().get("a").workerId());
    assertEquals("line 1\nline 2", s.jobResults().get("a").logs());
    String events = api.get("/execute/" + executionId + "/events").body();
    assertTrue(events.contains("\"logs\":\"epoch 1\\nepoch 2\\n\""), "job-progress carries the live lines: " + events);
    Await.until(() -> api.get("/workers/" + id + "/status").json(), w -> w.get("assignedJobs").isEmpty(),
        Duration.ofSeconds(5), "the slot to be free");
    api.delete("/workers/" + id);
  }

  @Test
  void reportsForWhatIsNoAttemptAre404AndForAnotherAttempt409() {
    String id = register("{\"jobTypes\": [\"t-none\"]}");
    TestHttpClient.Answer malformed = api.post("/workers/" + id + "/jobs/nonsense/progress", "{\"percent\": 1}");
    assertEquals(404, malformed.status(), malformed.body());
    assertEquals(404, api.post("/workers/" + id + "/jobs/x:y/complete", "{\"success\": true}").status());
    TestHttpClient.Answer stale = api.post("/workers/" + id + "/jobs/ex-nope:j:1/complete", "{\"success\": true}");
    assertEquals(409, stale.status(), stale.body());
    assertEquals("STALE_ATTEMPT", stale.errorCode());
    api.delete("/workers/" + id);
  }

  @Test
  void aSilentWorkerExpiresItsJobRunsAgainFromItsCheckpointAndItsLateResultIsRefused() {
    String a = register("{\"workerId\": \"silent-a\", \"jobTypes\": [\"t-exp\"]}");
    String executionId = submit(oneJobDag("t-exp", "{}"));
    JsonNode first = pollOne(a);
    String attempt1 = first.get("attemptId").asText();
    assertEquals(200, api.post("/workers/" + a + "/jobs/" + attempt1 + "/progress",
        "{\"percent\": 30, \"checkpoint\": {\"epoch\": 3}}").status());
    heartbeats.silence(a);
    long silentSince = System.nanoTime();

    JobDetail requeued = Await.until(() -> job(executionId, "j"), d -> !attempt1.equals(d.currentAttemptId()),
        Duration.ofSeconds(10), "the job to get a new attempt");
    long tookMs = (System.nanoTime() - silentSince) / 1_000_000;
    assertTrue(tookMs <= 3000, "re-queued " + tookMs + " ms after the last heartbeat (3 x interval is 3000)");
    assertEquals(JobStatus.QUEUED, requeued.status());
    assertEquals("offline", api.get("/workers/" + a + "/status").json().get("status").asText());
    assertEquals(404, api.post("/workers/" + a + "/heartbeat", "{}").status());

    String b = register("{\"workerId\": \"taker-b\", \"jobTypes\": [\"t-exp\"]}");
    JsonNode second = pollOne(b);
    String attempt2 = second.get("attemptId").asText();
    assertNotEquals(attempt1, attempt2);
    assertEquals(2, second.get("attempt").asInt());
    assertEquals(3, second.get("lastCheckpoint").get("epoch").asInt());
    Await.until(() -> job(executionId, "j"), d -> d.status() == JobStatus.RUNNING, Duration.ofSeconds(10),
        "attempt 2 to run");

    TestHttpClient.Answer late = api.post("/workers/" + a + "/jobs/" + attempt1 + "/complete",
        "{\"success\": true, \"output\": {\"who\": \"a\"}}");
    assertEquals(409, late.status(), late.body());
    assertEquals("STALE_ATTEMPT", late.errorCode());
    assertEquals(409, api.post("/workers/" + a + "/jobs/" + attempt1 + "/progress", "{\"percent\": 99}").status());
    JobDetail unchanged = job(executionId, "j");
    assertEquals(JobStatus.RUNNING, unchanged.status());
    assertEquals(attempt2, unchanged.currentAttemptId());
    assertEquals(b, unchanged.workerId());

    assertEquals(200, api.post("/workers/" + b + "/jobs/" + attempt2 + "/complete",
        "{\"success\": true, \"output\": {\"who\": \"b\"}}").status());
    ExecutionState s = awaitStatus(executionId, ExecutionStatus.COMPLETED);
    assertEquals("b", s.jobResults().get("j").output().get("who").asText());
    assertEquals(2, s.jobs().get("j").attempts());
    api.delete("/workers/" + b);
  }

  @Test
  void deregisteringReQueuesItsJobsAtOnce() {
    String c = register("{\"workerId\": \"leaver-c\", \"jobTypes\": [\"t-dereg\"]}");
    String executionId = submit(oneJobDag("t-dereg", "{}"));
    String attempt1 = pollOne(c).get("attemptId").asText();
    Await.until(() -> job(executionId, "j"), d -> d.status() == JobStatus.RUNNING, Duration.ofSeconds(10),
        "the job to run");
    long start = System.nanoTime();
    TestHttpClient.Answer gone = api.delete("/workers/" + c);
    assertEquals(200, gone.status(), gone.body());
    heartbeats.silence(c);
    Await.until(() -> job(executionId, "j"), d -> !attempt1.equals(d.currentAttemptId()), Duration.ofSeconds(5),
        "the job to get a new attempt");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMs < 1000, "re-queued after " + tookMs + " ms");
    assertEquals(404, api.post("/workers/" + c + "/heartbeat", "{}").status());
    assertEquals(404, api.post("/workers/" + c + "/poll", "{\"waitMs\": 10}").status());
    assertEquals("offline", api.get("/workers/" + c + "/status").json().get("status").asText());

    String d = register("{\"workerId\": \"stayer-d\", \"jobTypes\": [\"t-dereg\"]}");
    String attempt2 = pollOne(d).get("attemptId").asText();
    assertEquals(409, api.post("/workers/" + c + "/jobs/" + attempt1 + "/complete", "{\"success\": true}").status());
    assertEquals(200, api.post("/workers/" + d + "/jobs/" + attempt2 + "/complete", "{\"success\": true}").status());
    awaitStatus(executionId, ExecutionStatus.COMPLETED);
    api.delete("/workers/" + d);
  }

  @Test
  void httpAndClusterWorkersShareOnePool() throws Exception {
    String e = register("{\"workerId\": \"any-e\", \"maxConcurrency\": 1}");
    try {
      CompletableFuture<TestHttpClient.Answer> poll = CompletableFuture.supplyAsync(
          () -> api.post("/workers/" + e + "/poll", "{\"max\": 1, \"waitMs\": 20000}"));
      Thread.sleep(300);
      StringBuilder jobs = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        jobs.append(i == 0 ? "" : ",").append("{\"id\": \"s").append(i)
            .append("\", \"type\": \"sleep\", \"config\": {\"ms\": 500}}");
      }
      String executionId = submit("{\"workflowId\": \"shared\", \"jobs\": [" + jobs + "]}");
      JsonNode job = poll.get().json().get(0);
      assertEquals(executionId, job.get("executionId").asText());
      assertEquals(200, api.post("/workers/" + e + "/jobs/" + job.get("attemptId").asText() + "/complete",
          "{\"success\": true, \"output\": {\"by\": \"http\"}}").status());
      ExecutionState s = awaitStatus(executionId, ExecutionStatus.COMPLETED);
      Set<String> ran = new HashSet<>();
      s.jobResults().values().forEach(r -> ran.add(r.workerId()));
      assertTrue(ran.contains(e), ran.toString());
      assertTrue(ran.size() >= 2, "the cluster worker ran the others: " + ran);
    } finally {
      api.delete("/workers/" + e);
    }
  }
}
