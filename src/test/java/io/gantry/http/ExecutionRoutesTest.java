package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /execute endpoints against a real node and Redis: answers, error shapes, and no change after a refusal. */
class ExecutionRoutesTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();
  static final TestHttpClient api = node.http();

  @Test
  void submitAnswers202AndTheExecutionRunsToCompletion() {
    TestHttpClient.Answer a = api.post("/execute/distributed", """
        {"workflowId": "wf-run", "jobs": [
          {"id": "a", "type": "noop", "config": {"output": {"v": 1}}},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
    assertEquals(202, a.status(), a::toString);
    JsonNode body = a.json();
    String id = body.get("executionId").asText();
    assertEquals("wf-run", body.get("workflowId").asText());
    assertTrue(body.get("status").asText().matches("pending|running"));
    assertEquals("/execute/" + id + "/status", body.get("statusUrl").asText());
    JsonNode state = api.awaitFinished(id);
    assertEquals("completed", state.get("status").asText());
    assertEquals(1, state.at("/jobResults/b/output/inputs/a/v").asInt());
    assertEquals(2, state.get("completedJobs").size());
  }

  @Test
  void idempotentResubmitIs200AndOtherDocumentIs409() {
    String doc = "{\"workflowId\": \"idem\", \"executionId\": \"http-idem-1\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}";
    assertEquals(202, api.post("/execute/distributed", doc).status());
    TestHttpClient.Answer again = api.post("/execute/distributed", doc);
    assertEquals(200, again.status(), again::toString);
    assertEquals("http-idem-1", again.json().get("executionId").asText());
    TestHttpClient.Answer other = api.post("/execute/distributed",
        "{\"workflowId\": \"idem\", \"executionId\": \"http-idem-1\", \"jobs\": [{\"id\": \"z\", \"type\": \"noop\"}]}");
    assertEquals(409, other.status(), other::toString);
    assertEquals("CONFLICT", other.errorCode());
    JsonNode state = api.awaitFinished("http-idem-1");
    assertTrue(state.get("jobs").has("a"));
    assertFalse(state.get("jobs").has("z"));
  }

  @Test
  void invalidDagsAre400WithDetailsAndCreateNothing() {
    TestHttpClient.Answer cycle = api.post("/execute/distributed", """
        {"workflowId": "bad", "executionId": "http-bad-cycle", "jobs": [
          {"id": "a", "type": "noop", "dependsOn": ["b"]},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
    assertEquals(400, cycle.status(), cycle::toString);
    assertEquals("INVALID_DAG", cycle.errorCode());
    assertTrue(cycle.json().at("/error/details").toString().contains("a"), cycle::toString);
    assertEquals(404, api.get("/execute/http-bad-cycle/status").status());

    TestHttpClient.Answer field = api.post("/execute/distributed", """
        {"workflowId": "bad", "jobs": [{"id": "x", "type": "shell", "priority": 11}]}""");
    assertEquals(400, field.status());
    String details = field.json().at("/error/details").toString();
    assertTrue(details.contains("x") && details.contains("priority"), details);

    TestHttpClient.Answer malformed = api.post("/execute/distributed", "{\"workflowId\": ");
    assertEquals(400, malformed.status());
    assertEquals("INVALID_JSON", malformed.errorCode());

    TestHttpClient.Answer unknownField = api.post("/execute/distributed",
        "{\"workflowId\": \"w\", \"jobz\": [], \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    assertEquals(400, unknownField.status());
    assertTrue(unknownField.body().contains("jobz"), unknownField::toString);

    TestHttpClient.Answer empty = api.post("/execute/distributed", "");
    assertEquals(400, empty.status(), empty::toString);
    assertFalse(api.get("/execute?workflowId=bad").json().get("items").elements().hasNext(),
        "a refused document is not listed");
  }

  @Test
  void unknownExecutionIs404Everywhere() {
    for (String path : new String[] {"/execute/nope/status", "/execute/nope/jobs/a"}) {
      TestHttpClient.Answer a = api.get(path);
      assertEquals(404, a.status(), path);
      assertEquals("NOT_FOUND", a.errorCode());
      assertFalse(a.json().at("/error/message").asText().isBlank());
    }
    for (String action : new String[] {"pause", "resume", "cancel", "retry"}) {
      assertEquals(404, api.post("/execute/nope/" + action, null).status(), action);
    }
    assertEquals(404, api.post("/execute/nope/checkpoint", "{\"checkpointId\": \"c\"}").status());
  }

  @Test
  void pauseResumeCancelFollowTheRules() {
    String id = api.submitted("""
        {"workflowId": "ctl", "jobs": [
          {"id": "slow", "type": "sleep", "config": {"ms": 400}},
          {"id": "after", "type": "noop", "dependsOn": ["slow"]}]}""");
    TestHttpClient.Answer resumeFirst = api.post("/execute/" + id + "/resume", null);
    assertEquals(409, resumeFirst.status(), resumeFirst::toString);
    assertEquals("CONFLICT", resumeFirst.errorCode());

    TestHttpClient.Answer paused = api.post("/execute/" + id + "/pause", null);
    assertEquals(200, paused.status(), paused::toString);
    assertEquals("paused", paused.json().get("status").asText());
    assertEquals(409, api.post("/execute/" + id + "/pause", null).status());
    assertEquals("paused", api.get("/execute/" + id + "/status").json().get("status").asText(),
        "a refused pause changes nothing");

    TestHttpClient.Answer resumed = api.post("/execute/" + id + "/resume", null);
    assertEquals(200, resumed.status());
    assertTrue(resumed.json().get("status").asText().matches("pending|running"));

    TestHttpClient.Answer cancelled = api.post("/execute/" + id + "/cancel", null);
    assertEquals(200, cancelled.status());
    assertEquals("cancelled", cancelled.json().get("status").asText());
    assertEquals(409, api.post("/execute/" + id + "/cancel", null).status());
    assertEquals(409, api.post("/execute/" + id + "/pause", null).status());
    assertEquals("cancelled", api.get("/execute/" + id + "/status").json().get("status").asText());
  }

  @Test
  void retryRequeuesFailedJobsAndRefusesACompletedExecution() {
    String id = api.submitted("""
        {"workflowId": "rt", "jobs": [
          {"id": "ok", "type": "noop", "config": {"output": 7}},
          {"id": "flaky", "type": "fail", "maxRetries": 0, "config": {"times": 1}, "dependsOn": ["ok"]},
          {"id": "end", "type": "noop", "dependsOn": ["flaky"]}]}""");
    JsonNode failed = api.awaitFinished(id);
    assertEquals("failed", failed.get("status").asText());
    assertEquals("skipped", failed.at("/jobs/end/status").asText());
    TestHttpClient.Answer retried = api.post("/execute/" + id + "/retry", null);
    assertEquals(200, retried.status(), retried::toString);
    JsonNode done = api.awaitFinished(id);
    assertEquals("completed", done.get("status").asText());
    assertEquals(1, done.at("/jobs/ok/attempts").asInt(), "completed outputs are kept");
    TestHttpClient.Answer again = api.post("/execute/" + id + "/retry", null);
    assertEquals(409, again.status());
    assertEquals("completed", api.get("/execute/" + id + "/status").json().get("status").asText());
  }

  @Test
  void checkpointIsLinkedAndNeedsAnId() {
    String id = api.submitted("{\"workflowId\": \"cp\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    TestHttpClient.Answer missing = api.post("/execute/" + id + "/checkpoint", "{}");
    assertEquals(400, missing.status(), missing::toString);
    assertTrue(missing.body().contains("checkpointId"));
    TestHttpClient.Answer wrongType = api.post("/execute/" + id + "/checkpoint", "{\"checkpointId\": [1]}");
    assertEquals(400, wrongType.status(), wrongType::toString);
    assertTrue(api.get("/execute/" + id + "/status").json().get("checkpointId").isNull());
    TestHttpClient.Answer linked = api.post("/execute/" + id + "/checkpoint", "{\"checkpointId\": \"ckpt-42\"}");
    assertEquals(200, linked.status(), linked::toString);
    assertEquals("ckpt-42", linked.json().get("checkpointId").asText());
    assertEquals("ckpt-42", api.get("/execute/" + id + "/status").json().get("checkpointId").asText());
  }

  @Test
  void jobDetailShowsAttemptsAndUnknownJobIs404() {
    String id = api.submitted("""
        {"workflowId": "jd", "jobs": [{"id": "a", "type": "noop"},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
    api.awaitFinished(id);
    TestHttpClient.Answer a = api.get("/execute/" + id + "/jobs/b");
    assertEquals(200, a.status(), a::toString);
    JsonNode job = a.json();
    assertEquals("b", job.get("jobId").asText());
    assertEquals("completed", job.get("status").asText());
    assertEquals(1, job.get("attempts").asInt());
    assertEquals(1, job.get("attemptHistory").size());
    assertFalse(job.get("attemptHistory").get(0).get("workerId").isNull());
    TestHttpClient.Answer unknown = api.get("/execute/" + id + "/jobs/zz");
    assertEquals(404, unknown.status());
    assertEquals("NOT_FOUND", unknown.errorCode());
  }

  @Test
  void listPagesNewestFirstAndFilters() {
    Set<String> ids = new HashSet<>();
    String last = null;
    for (int i = 0; i < 5; i++) {
      last = api.submitted("{\"workflowId\": \"paging\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
      ids.add(last);
    }
    JsonNode first = api.get("/execute?workflowId=paging&limit=2").json();
    assertEquals(2, first.get("items").size());
    assertEquals(last, first.get("items").get(0).get("executionId").asText(), "newest first");
    Set<String> seen = new HashSet<>();
    first.get("items").forEach(i -> seen.add(i.get("executionId").asText()));
    String cursor = first.get("nextCursor").asText();
    while (cursor != null && !cursor.isEmpty() && !"null".equals(cursor)) {
      JsonNode page = api.get("/execute?workflowId=paging&limit=2&cursor=" + cursor).json();
      page.get("items").forEach(i -> assertTrue(seen.add(i.get("executionId").asText()), "no repeats"));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    }
    assertEquals(ids, seen);
    ids.forEach(api::awaitFinished);
    JsonNode completed = api.get("/execute?workflowId=paging&status=completed").json();
    assertEquals(5, completed.get("items").size());
    assertEquals(0, api.get("/execute?workflowId=paging&status=failed").json().get("items").size());
  }

  @Test
  void listRefusesBadParameters() {
    for (String q : new String[] {"status=done", "limit=0", "limit=1001", "limit=ten", "cursor=garbage"}) {
      TestHttpClient.Answer a = api.get("/execute?" + q);
      assertEquals(400, a.status(), q + ": " + a);
      assertEquals("BAD_REQUEST", a.errorCode(), q);
    }
    assertEquals(200, api.get("/execute?limit=1000").status());
  }

  @Test
  void wrongMethodAndUnknownPathAreJsonErrors() {
    TestHttpClient.Answer method = api.get("/execute/distributed");
    assertTrue(method.status() == 405 || method.status() == 404, method::toString);
    assertFalse(method.errorCode().isBlank());
    TestHttpClient.Answer none = api.get("/execute/x/nothing");
    assertEquals(404, none.status());
    assertFalse(none.errorCode().isBlank());
  }
}
