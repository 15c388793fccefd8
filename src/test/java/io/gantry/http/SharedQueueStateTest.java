package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The queue state every pool shares through Redis, driven over HTTP with HTTP workers played by the test: a
 * concurrency key holds across pools and across a restart of the registries (the attempt adopted back keeps its
 * key's lock), the queue's pause survives a restart, and stats, pause and drain cover a pool only an HTTP worker
 * registered (no node's configuration names it).
 */
class SharedQueueStateTest {

  static final String REGISTER = """
      {"workerId": "%s", "pool": "%s", "hostname": "h", "pid": 1, "capabilities": ["cpu"], "maxConcurrency": 2,
       "jobTypes": ["shared"], "runningAttempts": %s}""";

  static final String JOB = """
      {"workflowId": "shared", "jobs": [{"id": "%s", "type": "shared", "pool": "%s", "maxRetries": 0%s}]}""";

  /** The node's API alone: every worker is an HTTP worker of the test. */
  static TestNode apiNode(String extra) {
    return TestNode.builder().roles("orchestrator").api().config("gantry.failover.unreachable-grace = 1s")
        .config(extra).build().start();
  }

  static String keyed(String key) {
    return ", \"concurrencyKey\": \"" + key + "\"";
  }

  static String submit(TestHttpClient api, String jobId, String pool, String extra) {
    TestHttpClient.Answer a = api.post("/execute/distributed", JOB.formatted(jobId, pool, extra));
    assertEquals(202, a.status(), a::toString);
    return a.json().get("executionId").asText();
  }

  static JsonNode poll(TestHttpClient api, String workerId, long waitMs) {
    TestHttpClient.Answer a = api.post("/workers/" + workerId + "/poll", "{\"max\": 1, \"waitMs\": " + waitMs + "}");
    assertEquals(200, a.status(), a::toString);
    return a.json();
  }

  static void complete(TestHttpClient api, String workerId, String attemptId) {
    TestHttpClient.Answer done = api.post("/workers/" + workerId + "/jobs/" + attemptId + "/complete",
        "{\"success\": true, \"output\": {}}");
    assertEquals(200, done.status(), done::toString);
  }

  static void register(TestHttpClient api, String workerId, String pool, String running) {
    TestHttpClient.Answer r = api.post("/workers/register", REGISTER.formatted(workerId, pool, running));
    assertEquals(201, r.status(), r::toString);
  }

  static String blockedBy(TestHttpClient api, String executionId, String jobId) {
    return api.get("/execute/" + executionId + "/jobs/" + jobId).json().path("blockedBy").asText();
  }

  @Test
  void jobsWithOneKeyInTwoPoolsNeverOverlap() throws Exception {
    String key = "k-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestNode node = apiNode("")) {
      TestHttpClient api = node.http();
      register(api, "hw-a", "pool-a", "[]");
      register(api, "hw-b", "pool-b", "[]");
      String exA = submit(api, "ja", "pool-a", keyed(key));
      String exB = submit(api, "jb", "pool-b", keyed(key));
      // Both workers ask at once; the key lets exactly one of them have its job.
      CompletableFuture<JsonNode> a = CompletableFuture.supplyAsync(() -> poll(api, "hw-a", 5000));
      CompletableFuture<JsonNode> b = CompletableFuture.supplyAsync(() -> poll(api, "hw-b", 5000));
      JsonNode gotA = a.get();
      JsonNode gotB = b.get();
      assertEquals(1, gotA.size() + gotB.size(), "one of the two runs: " + gotA + " " + gotB);
      boolean aFirst = gotA.size() == 1;
      String firstWorker = aFirst ? "hw-a" : "hw-b";
      String secondWorker = aFirst ? "hw-b" : "hw-a";
      String firstAttempt = (aFirst ? gotA : gotB).get(0).get("attemptId").asText();
      long firstStarted = System.currentTimeMillis();

      // The other waits, and says why, for as long as the first runs.
      String waitingEx = aFirst ? exB : exA;
      String waitingJob = aFirst ? "jb" : "ja";
      assertEquals(0, poll(api, secondWorker, 3000).size(), "the key is held in the other pool");
      assertEquals("concurrency-key", blockedBy(api, waitingEx, waitingJob));
      assertEquals(0, poll(api, secondWorker, 1000).size(), "the key is held in the other pool");
      complete(api, firstWorker, firstAttempt);
      long firstEnded = System.currentTimeMillis();

      JsonNode second = Await.until(() -> poll(api, secondWorker, 2000), j -> j.size() == 1, Duration.ofSeconds(15),
          "the second job, once the key is free");
      long secondStarted = System.currentTimeMillis();
      assertTrue(secondStarted >= firstEnded && firstEnded > firstStarted, "run intervals do not overlap");
      complete(api, secondWorker, second.get(0).get("attemptId").asText());
      for (String ex : new String[] {exA, exB}) {
        Await.until(() -> api.get("/execute/" + ex + "/status").json().path("status").asText(),
            "completed"::equals, Duration.ofSeconds(15), ex + " completed");
      }
    }
  }

  @Test
  void anAdoptedAttemptKeepsItsKeyAcrossARegistryRestart() throws Exception {
    String key = "k-" + UUID.randomUUID().toString().substring(0, 8);
    // A short lock TTL: without re-adoption the lock would lapse well within the wait below.
    try (TestNode node = apiNode("gantry.queue.concurrency-key-ttl = 4s")) {
      TestHttpClient api = node.http();
      register(api, "hw-a", "pool-a", "[]");
      register(api, "hw-b", "pool-b", "[]");
      String exA = submit(api, "ja", "pool-a", keyed(key));
      JsonNode got = Await.until(() -> poll(api, "hw-a", 2000), j -> j.size() == 1, Duration.ofSeconds(15), "ja");
      String attemptA = got.get(0).get("attemptId").asText();
      String running = "[\"" + attemptA + "\"]";
      assertEquals(200, api.post("/workers/hw-a/heartbeat", "{\"runningAttempts\": " + running + "}").status());
      String exB = submit(api, "jb", "pool-b", keyed(key));
      assertEquals(0, poll(api, "hw-b", 1500).size());

      node.restart(); // both registries start again, empty

      Await.until(() -> api.post("/workers/register", REGISTER.formatted("hw-a", "pool-a", running)).status(),
          s -> s == 201, Duration.ofSeconds(30), "hw-a registered again with what it runs");
      register(api, "hw-b", "pool-b", "[]");
      // Three TTLs long, the adopted attempt holds the key: jb does not start.
      long until = System.currentTimeMillis() + 12_000;
      while (System.currentTimeMillis() < until) {
        assertEquals(200, api.post("/workers/hw-a/heartbeat", "{\"runningAttempts\": " + running + "}").status());
        assertEquals(0, poll(api, "hw-b", 1000).size(), "jb must wait for the adopted holder of the key");
      }
      assertEquals("concurrency-key", blockedBy(api, exB, "jb"));
      complete(api, "hw-a", attemptA);
      JsonNode second = Await.until(() -> poll(api, "hw-b", 2000), j -> j.size() == 1, Duration.ofSeconds(15),
          "jb once the adopted attempt ended");
      complete(api, "hw-b", second.get(0).get("attemptId").asText());
      String[][] jobs = {{exA, "ja"}, {exB, "jb"}};
      for (String[] job : jobs) {
        JsonNode s = Await.until(() -> api.get("/execute/" + job[0] + "/status").json(),
            j -> j.path("status").asText().equals("completed"), Duration.ofSeconds(15), job[0] + " completed");
        assertEquals(1, s.at("/jobs/" + job[1] + "/attempts").asInt(-1), s::toString);
      }
    }
  }

  @Test
  void aLostAttemptFreesItsKeyAtOnceAlsoWhenANewRegistryNeverSawItsWorker() throws Exception {
    String key = "k-" + UUID.randomUUID().toString().substring(0, 8);
    // The default lock TTL (30 s) is far beyond the waits below: only a release lets the next attempt in.
    try (TestNode node = apiNode("")) {
      TestHttpClient api = node.http();
      register(api, "hw-1", "pool-l", "[]");
      String ex = submit(api, "jl", "pool-l", keyed(key));
      String first = Await.until(() -> poll(api, "hw-1", 2000), j -> j.size() == 1, Duration.ofSeconds(15), "jl")
          .get(0).get("attemptId").asText();
      assertEquals(200, api.delete("/workers/hw-1").status()); // its attempt is lost and queued again

      register(api, "hw-2", "pool-l", "[]");
      JsonNode second = Await.until(() -> poll(api, "hw-2", 2000), j -> j.size() == 1, Duration.ofSeconds(10),
          "the next attempt, the lost one's key released");
      assertNotEquals(first, second.get(0).get("attemptId").asText());

      node.restart(); // hw-2 never registers again: the new registry declares its attempt lost after the grace
      Await.until(() -> api.post("/workers/register", REGISTER.formatted("hw-3", "pool-l", "[]")).status(),
          s -> s == 201, Duration.ofSeconds(30), "hw-3 registered");
      JsonNode third = Await.until(() -> poll(api, "hw-3", 2000), j -> j.size() == 1, Duration.ofSeconds(20),
          "a third attempt, the key of the attempt lost across the restart released");
      complete(api, "hw-3", third.get(0).get("attemptId").asText());
      JsonNode done = Await.until(() -> api.get("/execute/" + ex + "/status").json(),
          j -> j.path("status").asText().equals("completed"), Duration.ofSeconds(15), ex + " completed");
      assertEquals(3, done.at("/jobs/jl/attempts").asInt(-1), done::toString);
    }
  }

  @Test
  void pauseSurvivesARestartAndCoversAPoolOnlyAnHttpWorkerRegistered() throws Exception {
    try (TestNode node = apiNode("")) {
      TestHttpClient api = node.http();
      assertEquals(200, api.post("/queue/pause", "").status());

      node.restart(); // the registries forget; Redis does not

      Await.until(() -> api.get("/queue/stats").status(), s -> s == 200, Duration.ofSeconds(30), "the API");
      Await.until(() -> api.post("/workers/register", REGISTER.formatted("hw-x", "only-http", "[]")).status(),
          s -> s == 201, Duration.ofSeconds(30), "hw-x registered");
      String ex = submit(api, "jx", "only-http", "");
      assertEquals(0, poll(api, "hw-x", 3000).size(), "the queue is paused in a pool that came after the pause");
      assertEquals("queue-paused", blockedBy(api, ex, "jx"));
      JsonNode stats = api.get("/queue/stats").json();
      assertTrue(stats.path("paused").asBoolean(), stats::toString);
      assertTrue(stats.path("pools").toString().contains("\"only-http\""), stats::toString);
      assertEquals(1, stats.path("queued").asInt(), stats::toString);

      // Resume reaches that pool too, and its job runs.
      assertEquals(200, api.post("/queue/resume", "").status());
      JsonNode got = Await.until(() -> poll(api, "hw-x", 2000), j -> j.size() == 1, Duration.ofSeconds(15), "jx");
      complete(api, "hw-x", got.get(0).get("attemptId").asText());
      assertFalse(api.get("/queue/stats").json().path("paused").asBoolean());

      // Drain covers it as well.
      assertEquals(200, api.post("/queue/pause", "").status());
      submit(api, "jy", "only-http", "");
      Await.until(() -> api.get("/queue/stats").json().path("queued").asInt(), n -> n == 1, Duration.ofSeconds(10),
          "jy queued");
      JsonNode drained = api.post("/queue/drain", "").json();
      assertEquals(1, drained.path("removed").asInt(), drained::toString);
    }
  }
}
