package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bulk submission's independent jobs share one execution, and each is still a queue job of its own: its id, get,
 * result, cancel, retry (also after the execution finished) and the listing by status with cursors.
 */
class QueueBulkTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();
  static final TestHttpClient api = node.http();

  static List<String> bulk(String jobs) {
    TestHttpClient.Answer a = api.post("/queue/jobs/bulk", "{\"jobs\": [" + jobs + "]}");
    assertEquals(202, a.status(), a::toString);
    List<String> ids = new ArrayList<>();
    a.json().get("ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  static String executionOf(String queueId) {
    return queueId.substring(0, queueId.lastIndexOf(':'));
  }

  static String jobOf(String queueId) {
    return queueId.substring(queueId.lastIndexOf(':') + 1);
  }

  static JsonNode awaitJob(String id, String status) {
    return api.until("/queue/jobs/" + id, j -> status.equals(j.path("status").asText()), id + " to be " + status);
  }

  static String noops(int n) {
    StringBuilder jobs = new StringBuilder();
    for (int i = 0; i < n; i++) {
      jobs.append(i == 0 ? "" : ",").append("{\"type\": \"noop\", \"workflowId\": \"many\"}");
    }
    return jobs.toString();
  }

  @Test
  void aBulkIsOneExecutionWhoseJobsKeepTheirIds() {
    List<String> ids = bulk(noops(50));
    assertEquals(50, ids.size());
    String execution = executionOf(ids.get(0));
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(execution + ":j" + i, ids.get(i), "in the order given, one execution");
    }
    JsonNode state = api.awaitFinished(execution);
    assertEquals("completed", state.get("status").asText());
    assertEquals(50, state.get("jobs").size());
    assertEquals("many", state.get("workflowId").asText());
    JsonNode listed = api.get("/execute?workflowId=many").json().get("items");
    assertEquals(1, listed.size(), "one execution, not 50: " + listed);
    assertEquals(50, listed.get(0).get("jobCount").asInt());
    JsonNode job = api.get("/queue/jobs/" + ids.get(7)).json();
    assertEquals("completed", job.get("status").asText());
    assertEquals("j7", job.get("jobId").asText());
    assertEquals(state.get("createdAt").asLong(), job.get("createdAt").asLong());

    // Own ids are kept when unique; duplicates and ids that look like another position's fall back to j<i>; a job
    // with its own executionId is its own execution, as a single submit; other workflows get their own execution.
    List<String> mixed = bulk("""
        {"id": "mail", "type": "noop"}, {"id": "dup", "type": "noop"}, {"id": "dup", "type": "noop"},
        {"id": "j0", "type": "noop"}, {"id": "j4", "type": "noop"}, {"type": "noop"},
        {"type": "noop", "executionId": "bulk-own-1"}, {"type": "noop", "workflowId": "other"}""");
    String shared = executionOf(mixed.get(0));
    assertEquals(List.of(shared + ":mail", shared + ":j1", shared + ":j2", shared + ":j3", shared + ":j4",
        shared + ":j5", "bulk-own-1:job"), mixed.subList(0, 7));
    String other = executionOf(mixed.get(7));
    assertNotEquals(shared, other);
    assertEquals("other", api.awaitFinished(other).get("workflowId").asText());
    assertEquals(6, api.awaitFinished(shared).get("jobs").size());
    mixed.forEach(id -> awaitJob(id, "completed"));

    // A bigger bulk: executions of at most MAX_SHARED_JOBS, its jobs still in the order given.
    int n = 2 * QueueSubmissions.MAX_SHARED_JOBS + 10;
    List<String> big = bulk(noops(n));
    Set<String> executions = new LinkedHashSet<>();
    big.forEach(id -> executions.add(executionOf(id)));
    assertEquals(3, executions.size(), executions::toString);
    assertEquals(n, new HashSet<>(big).size(), "unique ids");
    assertEquals("j" + (n - 1), jobOf(big.get(n - 1)));
    for (String e : executions) {
      assertTrue(api.awaitFinished(e).get("jobs").size() <= QueueSubmissions.MAX_SHARED_JOBS);
    }
  }

  @Test
  void refusedBulkStoresNothing() {
    long before = api.get("/execute?limit=1000").json().get("items").size();
    TestHttpClient.Answer bad = api.post("/queue/jobs/bulk", "{\"jobs\": [" + noops(5)
        + ", {\"type\": \"noop\", \"dependsOn\": [\"j0\"]}]}");
    assertEquals(400, bad.status(), bad::toString);
    assertTrue(bad.json().at("/error/message").asText().contains("jobs[5]"), bad::toString);
    assertEquals(before, api.get("/execute?limit=1000").json().get("items").size(), "no execution was created");
  }

  @Test
  void everyQueueOperationWorksPerJobOfASharedExecution() {
    List<String> ids = bulk("""
        {"id": "hold", "type": "sleep", "config": {"ms": 60000}},
        {"id": "flaky", "type": "fail", "maxRetries": 0, "config": {"times": 1}},
        {"id": "ok", "type": "noop", "config": {"output": {"x": 1}}}""");
    String hold = ids.get(0);
    String flaky = ids.get(1);
    String ok = ids.get(2);
    String execution = executionOf(hold);
    awaitJob(flaky, "failed");
    JsonNode done = awaitJob(ok, "completed");
    assertEquals(1, api.get("/queue/jobs/" + ok + "/result").json().at("/output/x").asInt());
    assertEquals(404, api.get("/queue/jobs/" + hold + "/result").status(), "no result while it runs");
    awaitJob(hold, "running");

    TestHttpClient.Answer cancelled = api.post("/queue/jobs/" + hold + "/cancel", null);
    assertEquals(200, cancelled.status(), cancelled::toString);
    assertEquals("cancelled", cancelled.json().get("status").asText());
    assertEquals(409, api.post("/queue/jobs/" + hold + "/cancel", null).status());
    JsonNode finished = api.awaitFinished(execution);
    assertEquals("failed", finished.get("status").asText(), "a job of it failed");

    // Retry of one job after the execution finished: running again for that job only.
    TestHttpClient.Answer again = api.post("/queue/jobs/" + hold + "/retry", null);
    assertEquals(200, again.status(), again::toString);
    assertTrue(again.json().get("status").asText().matches("queued|running"), again::toString);
    assertEquals("running", api.get("/execute/" + execution + "/status").json().get("status").asText());
    assertEquals("failed", api.get("/queue/jobs/" + flaky).json().get("status").asText(), "not retried with it");
    JsonNode okNow = api.get("/queue/jobs/" + ok).json();
    assertEquals("completed", okNow.get("status").asText());
    assertEquals(1, okNow.get("attempts").asInt());
    assertEquals(done.get("completedAt").asLong(), okNow.get("completedAt").asLong());
    assertEquals(1, api.get("/queue/jobs/" + ok + "/result").json().at("/output/x").asInt(), "output kept");
    TestHttpClient.Answer notFailed = api.post("/queue/jobs/" + ok + "/retry", null);
    assertEquals(409, notFailed.status(), notFailed::toString);
    assertEquals("CONFLICT", notFailed.errorCode());

    awaitJob(hold, "running");
    assertEquals(200, api.post("/queue/jobs/" + hold + "/cancel", null).status());
    TestHttpClient.Answer retried = api.post("/queue/jobs/" + flaky + "/retry", null);
    assertEquals(200, retried.status(), retried::toString);
    assertEquals(2, awaitJob(flaky, "completed").get("attempts").asInt());
    assertEquals("cancelled", api.get("/queue/jobs/" + hold).json().get("status").asText());
    assertEquals(404, api.post("/queue/jobs/" + execution + ":nope/retry", null).status());
    assertEquals(404, api.get("/queue/jobs/" + execution + ":nope").status());
  }

  @Test
  void listingByStatusPagesThroughBulksWithCursors() {
    List<String> first = bulk(noops(7) + ", {\"type\": \"fail\", \"maxRetries\": 0}, {\"type\": \"fail\", \"maxRetries\": 0}");
    List<String> second = bulk(noops(6));
    String single = api.post("/queue/jobs", "{\"type\": \"noop\"}").json().get("id").asText();
    api.awaitFinished(executionOf(first.get(0)));
    api.awaitFinished(executionOf(second.get(0)));
    awaitJob(single, "completed");

    Set<String> completed = new HashSet<>(first.subList(0, 7));
    completed.addAll(second);
    completed.add(single);
    Set<String> listed = page("status=completed&limit=4", "completed");
    assertTrue(listed.containsAll(completed), "every completed job is listed: " + listed);
    Set<String> failed = page("status=failed&limit=1", "failed");
    assertTrue(failed.containsAll(first.subList(7, 9)), failed::toString);
    assertTrue(failed.stream().noneMatch(completed::contains));
    Set<String> all = page("limit=5", null);
    assertTrue(all.containsAll(completed) && all.containsAll(failed));

    JsonNode newest = api.get("/queue/jobs?limit=2").json();
    assertEquals(single, newest.get("items").get(0).get("id").asText(), "newest execution first");
    assertEquals(second.get(0), newest.get("items").get(1).get("id").asText(), "then a bulk's jobs in order");
    assertTrue(newest.get("nextCursor").asText().contains("~"), "a cursor inside the shared execution");
    assertEquals(0, api.get("/queue/jobs?status=running").json().get("items").size());
    assertEquals(400, api.get("/queue/jobs?cursor=1_x~nonsense").status());
  }

  /** Every page of the listing, following its cursor: no repeats, at most the limit, each with the status asked. */
  static Set<String> page(String query, String status) {
    Set<String> seen = new LinkedHashSet<>();
    String cursor = null;
    int limit = Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
    for (int pages = 0; pages < 10_000; pages++) {
      JsonNode page = api.get("/queue/jobs?" + query + (cursor == null ? "" : "&cursor=" + cursor)).json();
      assertTrue(page.get("items").size() <= limit, page::toString);
      for (JsonNode j : page.get("items")) {
        assertTrue(seen.add(j.get("id").asText()), "no repeats: " + j);
        if (status != null) {
          assertEquals(status, j.get("status").asText());
        }
      }
      if (page.get("nextCursor").isNull()) {
        return seen;
      }
      cursor = page.get("nextCursor").asText();
    }
    throw new AssertionError("the listing did not end");
  }
}
