package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /queue/stats counts jobs, not executions (a 4-job DAG adds 4 to completed), for queue jobs, bulks and DAGs,
 * and counts each once: a node restart that replays the executions, finished or not, counts nothing again.
 */
class QueueJobCountsTest {
  @RegisterExtension
  final TestNode node = TestNode.builder().api().awaitIndex()
      .config("gantry.execution.passivate-finished-after = 1s").build();

  JsonNode stats(TestHttpClient api) {
    return api.get("/queue/stats").json();
  }

  JsonNode awaitStats(TestHttpClient api, long completed, long failed, long cancelled) {
    return api.until("/queue/stats", s -> s.get("completed").asLong() == completed
        && s.get("failed").asLong() == failed && s.get("cancelled").asLong() == cancelled,
        "stats to count " + completed + " completed, " + failed + " failed, " + cancelled + " cancelled");
  }

  @Test
  void statsCountJobsOnceAcrossRestarts() {
    TestHttpClient api = node.http();
    String dag = api.submitted("""
        {"workflowId": "fan-in", "jobs": [{"id": "a", "type": "noop"}, {"id": "b", "type": "noop"},
          {"id": "c", "type": "noop"}, {"id": "d", "type": "noop", "dependsOn": ["a", "b", "c"]}]}""");
    api.awaitFinished(dag);
    awaitStats(api, 4, 0, 0);

    StringBuilder jobs = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      jobs.append("{\"type\": \"noop\"},");
    }
    jobs.append("{\"type\": \"fail\", \"maxRetries\": 0}, {\"type\": \"fail\", \"maxRetries\": 0},");
    jobs.append("{\"id\": \"hold\", \"type\": \"sleep\", \"config\": {\"ms\": 60000}}");
    TestHttpClient.Answer bulk = api.post("/queue/jobs/bulk", "{\"jobs\": [" + jobs + "]}");
    assertEquals(202, bulk.status(), bulk::toString);
    List<String> ids = new ArrayList<>();
    bulk.json().get("ids").forEach(id -> ids.add(id.asText()));
    String hold = ids.get(32);
    // Jobs of a shared execution count as they settle, before the execution finishes.
    awaitStats(api, 34, 2, 0);
    String single = api.post("/queue/jobs", "{\"type\": \"noop\"}").json().get("id").asText();
    api.until("/queue/jobs/" + single, j -> j.path("status").asText().equals("completed"), "the single job");
    awaitStats(api, 35, 2, 0);

    // A restart replays every execution: the unfinished bulk is woken, the finished ones recover when asked.
    node.restart();
    api = node.http();
    api.awaitFinished(dag);
    api.until("/queue/jobs/" + hold, j -> j.path("status").asText().matches("running|queued"), "the held job");
    api.get("/queue/jobs/" + single);
    JsonNode after = awaitStats(api, 35, 2, 0);
    assertEquals(35, after.get("completed").asLong(), "nothing counted twice: " + after);

    TestHttpClient.Answer cancelled = api.post("/queue/jobs/" + hold + "/cancel", null);
    assertEquals(200, cancelled.status(), cancelled::toString);
    awaitStats(api, 35, 2, 1);
    // A retry takes the job out of failed; it fails again and counts there again, once.
    TestHttpClient.Answer retried = api.post("/queue/jobs/" + ids.get(30) + "/retry", null);
    assertEquals(200, retried.status(), retried::toString);
    api.until("/queue/jobs/" + ids.get(30), j -> j.path("status").asText().equals("failed"), "failed again");
    awaitStats(api, 35, 2, 1);

    node.restart();
    api = node.http();
    api.awaitFinished(dag);
    api.awaitFinished(ids.get(0).substring(0, ids.get(0).lastIndexOf(':')));
    assertEquals(35, awaitStats(api, 35, 2, 1).get("completed").asLong());

    // Cleaning forgets executions, and their jobs leave the counts (the bulk's execution ended failed).
    TestHttpClient.Answer clean = api.post("/queue/clean", "{\"graceMs\": 0, \"type\": \"completed\"}");
    assertEquals(200, clean.status(), clean::toString);
    awaitStats(api, 30, 2, 1);
    assertEquals(200, api.post("/queue/clean", "{\"graceMs\": 0, \"type\": \"failed\"}").status());
    awaitStats(api, 0, 0, 0);
  }
}
