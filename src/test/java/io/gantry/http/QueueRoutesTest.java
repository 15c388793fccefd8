package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /queue endpoints against a real node and Redis. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueRoutesTest {
  // Cleaned executions answer from memory until their entity passivates; make that quick.
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().config("gantry.execution.passivate-finished-after = 1s").build();
  static final TestHttpClient api = node.http();

  static JsonNode created(String job) {
    TestHttpClient.Answer a = api.post("/queue/jobs", job);
    assertEquals(202, a.status(), a::toString);
    return a.json();
  }

  static JsonNode awaitJob(String id, String status) {
    return api.until("/queue/jobs/" + id, j -> status.equals(j.path("status").asText()), id + " to be " + status);
  }

  @Test
  @Order(1)
  void singleJobRunsAndItsResultIsServed() {
    JsonNode c = created("{\"id\": \"hello\", \"type\": \"noop\", \"priority\": 7, \"config\": {\"output\": {\"x\": 1}}}");
    String id = c.get("id").asText();
    String executionId = c.get("executionId").asText();
    assertEquals(executionId + ":hello", id);
    JsonNode job = awaitJob(id, "completed");
    assertEquals("noop", job.get("type").asText());
    assertEquals(7, job.get("priority").asInt());
    assertEquals(1, job.get("attempts").asInt());
    assertTrue(job.get("createdAt").asLong() > 0);
    assertTrue(job.get("completedAt").asLong() >= job.get("startedAt").asLong());
    TestHttpClient.Answer result = api.get("/queue/jobs/" + id + "/result");
    assertEquals(200, result.status(), result::toString);
    assertTrue(result.json().get("success").asBoolean());
    assertEquals(1, result.json().at("/output/x").asInt());
    assertEquals("queue", api.get("/execute/" + executionId + "/status").json().get("workflowId").asText());
  }

  @Test
  @Order(2)
  void defaultsAndIdempotentExecutionId() {
    JsonNode c = created("{\"type\": \"noop\", \"workflowId\": \"mail\", \"executionId\": \"q-fixed-1\"}");
    assertEquals("q-fixed-1:job", c.get("id").asText());
    TestHttpClient.Answer again = api.post("/queue/jobs", "{\"type\": \"noop\", \"workflowId\": \"mail\", \"executionId\": \"q-fixed-1\"}");
    assertEquals(200, again.status(), again::toString);
    TestHttpClient.Answer other = api.post("/queue/jobs", "{\"type\": \"sleep\", \"config\": {\"ms\": 5}, \"executionId\": \"q-fixed-1\"}");
    assertEquals(409, other.status(), other::toString);
    assertEquals("noop", awaitJob("q-fixed-1:job", "completed").get("type").asText());
  }

  @Test
  @Order(3)
  void resultIs404UntilFinished() {
    String id = created("{\"id\": \"slow\", \"type\": \"sleep\", \"config\": {\"ms\": 1500}}").get("id").asText();
    TestHttpClient.Answer early = api.get("/queue/jobs/" + id + "/result");
    assertEquals(404, early.status(), early::toString);
    assertEquals("NOT_FOUND", early.errorCode());
    awaitJob(id, "completed");
    assertEquals(200, api.get("/queue/jobs/" + id + "/result").status());
  }

  @Test
  @Order(4)
  void badJobsAre400AndStoreNothing() {
    long before = api.get("/queue/jobs?limit=1000").json().get("items").size();
    String[] bad = {
        "{\"id\": \"x\"}",                                           // no type
        "{\"type\": \"shell\"}",                                     // shell without command
        "{\"type\": \"noop\", \"priority\": 0}",
        "{\"type\": \"noop\", \"dependsOn\": [\"other\"]}",
        "{\"type\": \"noop\", \"workflowId\": 5}",
        "{\"type\": \"noop\", \"colour\": \"red\"}",
        "[1, 2]",
        "{\"type\": ",
    };
    for (String body : bad) {
      TestHttpClient.Answer a = api.post("/queue/jobs", body);
      assertEquals(400, a.status(), body + " -> " + a);
      assertTrue(a.errorCode().startsWith("INVALID_"), body + " -> " + a);
      assertFalse(a.json().at("/error/message").asText().isBlank());
    }
    assertEquals(before, api.get("/queue/jobs?limit=1000").json().get("items").size());
  }

  @Test
  @Order(5)
  void bulkIsAllOrNothing() {
    TestHttpClient.Answer bad = api.post("/queue/jobs/bulk", """
        {"jobs": [{"type": "noop", "executionId": "bulk-bad-0"}, {"type": "noop", "executionId": "bulk-bad-1"},
                  {"type": "noop", "maxRetries": 99, "executionId": "bulk-bad-2"}]}""");
    assertEquals(400, bad.status(), bad::toString);
    assertTrue(bad.json().at("/error/message").asText().contains("jobs[2]"), bad::toString);
    assertTrue(bad.json().at("/error/details").toString().contains("maxRetries"), bad::toString);
    assertEquals(404, api.get("/queue/jobs/bulk-bad-0:job").status(), "nothing of a refused bulk is stored");
    assertEquals(404, api.get("/execute/bulk-bad-1/status").status());

    TestHttpClient.Answer dup = api.post("/queue/jobs/bulk",
        "{\"jobs\": [{\"type\": \"noop\", \"executionId\": \"d\"}, {\"type\": \"noop\", \"executionId\": \"d\"}]}");
    assertEquals(400, dup.status());
    assertTrue(dup.body().contains("jobs[1]"));
    assertEquals(400, api.post("/queue/jobs/bulk", "{\"jobs\": []}").status());
    assertEquals(400, api.post("/queue/jobs/bulk", "{}").status());

    StringBuilder jobs = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"id\": \"b").append(i).append("\", \"type\": \"noop\"}");
    }
    TestHttpClient.Answer ok = api.post("/queue/jobs/bulk", "{\"jobs\": [" + jobs + "]}");
    assertEquals(202, ok.status(), ok::toString);
    assertEquals(20, ok.json().get("ids").size());
    for (JsonNode id : ok.json().get("ids")) {
      awaitJob(id.asText(), "completed");
    }
  }

  @Test
  @Order(6)
  void listPagesQueueJobsOnlyAndFiltersByJobStatus() {
    String dag = api.post("/execute/distributed", "{\"workflowId\": \"not-queue\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}")
        .json().get("executionId").asText();
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(created("{\"type\": \"noop\", \"workflowId\": \"page\"}").get("id").asText());
    }
    mine.forEach(id -> awaitJob(id, "completed"));
    api.awaitFinished(dag);
    Set<String> seen = new HashSet<>();
    String cursor = "";
    int pages = 0;
    do {
      JsonNode page = api.get("/queue/jobs?limit=3" + (cursor.isEmpty() ? "" : "&cursor=" + cursor)).json();
      assertTrue(page.get("items").size() <= 3);
      for (JsonNode j : page.get("items")) {
        assertTrue(seen.add(j.get("id").asText()), "no repeats");
        assertNotEquals(dag, j.get("executionId").asText(), "DAG executions are not queue jobs");
      }
      cursor = page.get("nextCursor").isNull() ? "" : page.get("nextCursor").asText();
      pages++;
    } while (!cursor.isEmpty() && pages < 100);
    assertTrue(seen.containsAll(mine));
    JsonNode first = api.get("/queue/jobs?limit=1").json().get("items").get(0);
    assertEquals(mine.get(4), first.get("id").asText(), "newest first");
    for (JsonNode j : api.get("/queue/jobs?status=completed&limit=1000").json().get("items")) {
      assertEquals("completed", j.get("status").asText());
    }
    assertEquals(0, api.get("/queue/jobs?status=running").json().get("items").size());
    assertEquals(400, api.get("/queue/jobs?status=finished").status());
    assertEquals(400, api.get("/queue/jobs?limit=-1").status());
    assertEquals(400, api.get("/queue/jobs?cursor=nonsense").status());
  }

  @Test
  @Order(7)
  void cancelAndRetry() {
    String id = created("{\"id\": \"long\", \"type\": \"sleep\", \"config\": {\"ms\": 60000}}").get("id").asText();
    TestHttpClient.Answer cancelled = api.post("/queue/jobs/" + id + "/cancel", null);
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals("cancelled", cancelled.json().get("status").asText());
    TestHttpClient.Answer twice = api.post("/queue/jobs/" + id + "/cancel", null);
    assertEquals(409, twice.status(), twice::toString);
    assertEquals("CONFLICT", twice.errorCode());

    String ok = created("{\"type\": \"noop\"}").get("id").asText();
    awaitJob(ok, "completed");
    TestHttpClient.Answer retryDone = api.post("/queue/jobs/" + ok + "/retry", null);
    assertEquals(409, retryDone.status(), retryDone::toString);
    assertEquals("completed", api.get("/queue/jobs/" + ok).json().get("status").asText());

    String flaky = created("{\"type\": \"fail\", \"maxRetries\": 0, \"config\": {\"times\": 1}}").get("id").asText();
    awaitJob(flaky, "failed");
    TestHttpClient.Answer retried = api.post("/queue/jobs/" + flaky + "/retry", null);
    assertEquals(200, retried.status(), retried::toString);
    JsonNode done = awaitJob(flaky, "completed");
    assertEquals(2, done.get("attempts").asInt());

    for (String path : new String[] {"/queue/jobs/nope:job", "/queue/jobs/no-colon", "/queue/jobs/nope:job/result"}) {
      TestHttpClient.Answer a = api.get(path);
      assertEquals(404, a.status(), path);
      assertEquals("NOT_FOUND", a.errorCode());
    }
    assertEquals(404, api.post("/queue/jobs/nope:job/cancel", null).status());
    assertEquals(404, api.post("/queue/jobs/nope:job/retry", null).status());
  }

  @Test
  @Order(8)
  void statsPauseResumeAndDrain() {
    JsonNode stats = api.get("/queue/stats").json();
    for (String f : new String[] {"waiting", "queued", "active", "delayed", "completed", "failed", "cancelled",
        "paused", "workers", "utilization", "backlog"}) {
      assertTrue(stats.has(f), "stats has " + f + ": " + stats);
    }
    assertTrue(stats.get("workers").asInt() >= 1);
    assertTrue(stats.get("completed").asLong() >= 5);
    assertFalse(stats.get("paused").asBoolean());

    TestHttpClient.Answer paused = api.post("/queue/pause", null);
    assertEquals(200, paused.status(), paused::toString);
    assertTrue(api.get("/queue/stats").json().get("paused").asBoolean());
    List<String> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(created("{\"type\": \"noop\", \"requiredCapabilities\": [\"cpu\"]}").get("id").asText());
    }
    JsonNode queued = api.until("/queue/stats", s -> s.get("queued").asInt() >= 3, "3 jobs queued while paused");
    assertTrue(queued.get("backlog").toString().contains("cpu"), queued::toString);
    assertEquals("queued", api.get("/queue/jobs/" + held.get(0)).json().get("status").asText());

    TestHttpClient.Answer drained = api.post("/queue/drain", "{\"delayed\": false}");
    assertEquals(200, drained.status(), drained::toString);
    assertTrue(drained.json().get("removed").asInt() >= 3, drained::toString);
    for (String id : held) {
      awaitJob(id, "cancelled");
    }
    assertEquals(200, api.post("/queue/resume", null).status());
    assertFalse(api.get("/queue/stats").json().get("paused").asBoolean());
    awaitJob(created("{\"type\": \"noop\"}").get("id").asText(), "completed");

    String delayed = created("{\"type\": \"fail\", \"maxRetries\": 3, \"backoff\": {\"initialMs\": 60000}}")
        .get("id").asText();
    awaitJob(delayed, "retrying");
    assertTrue(api.until("/queue/stats", s -> s.get("delayed").asInt() >= 1, "a delayed job").get("delayed")
        .asInt() >= 1);
    TestHttpClient.Answer drainDelayed = api.post("/queue/drain", "{\"delayed\": true}");
    assertEquals(200, drainDelayed.status());
    assertTrue(drainDelayed.json().get("removed").asInt() >= 1, drainDelayed::toString);
    assertTrue(awaitAny(delayed).matches("failed|cancelled"));
    assertEquals(400, api.post("/queue/drain", "{\"delayed\": \"yes\"}").status());
  }

  static String awaitAny(String id) {
    return api.until("/queue/jobs/" + id, j -> j.path("status").asText().matches("completed|failed|cancelled"),
        id + " to settle").get("status").asText();
  }

  @Test
  @Order(9)
  void cleanForgetsFinishedExecutionsOlderThanGrace() {
    String id = created("{\"type\": \"noop\", \"workflowId\": \"clean\"}").get("id").asText();
    String failed = created("{\"type\": \"fail\", \"maxRetries\": 0}").get("id").asText();
    awaitJob(failed, "failed");
    String executionId = id.substring(0, id.lastIndexOf(':'));
    awaitJob(id, "completed");
    TestHttpClient.Answer kept = api.post("/queue/clean", "{\"graceMs\": 3600000, \"type\": \"completed\"}");
    assertEquals(200, kept.status());
    assertEquals(0, kept.json().get("removed").asInt());
    assertEquals(200, api.get("/queue/jobs/" + id).status());

    for (String body : new String[] {"{\"graceMs\": -1}", "{\"type\": \"running\"}", "{\"limit\": 0}",
        "{\"graceMs\": \"soon\"}"}) {
      assertEquals(400, api.post("/queue/clean", body).status(), body);
    }
    long completedBefore = api.get("/queue/stats").json().get("completed").asLong();
    TestHttpClient.Answer cleaned = api.post("/queue/clean", "{\"graceMs\": 0, \"limit\": 100000, \"type\": \"completed\"}");
    assertEquals(200, cleaned.status(), cleaned::toString);
    assertTrue(cleaned.json().get("removed").asInt() >= 1);
    assertEquals(0, api.get("/queue/stats").json().get("completed").asLong());
    assertTrue(completedBefore >= 1);
    JsonNode listed = api.get("/execute?workflowId=clean").json();
    assertEquals(0, listed.get("items").size(), "gone from the index");
    for (JsonNode j : api.get("/queue/jobs?limit=1000").json().get("items")) {
      assertNotEquals(id, j.get("id").asText(), "gone from the queue listing");
    }
    assertTrue(api.post("/queue/clean", "{\"type\": \"failed\"}").json().get("removed").asInt() >= 1);
    Await.until(() -> api.get("/queue/jobs/" + failed).status(), s -> s == 404, Duration.ofSeconds(5),
        "the cleaned job's entity to forget it");
    assertEquals(200, api.post("/queue/clean", null).status(), "no body: defaults");
    assertNotNull(executionId);
  }
}
