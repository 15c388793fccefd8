package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real answers of a running node, for the main endpoints and the error cases, validated against the OpenAPI
 * document: each status must be documented for its operation and each JSON body must fit its schema. The document's
 * own examples must fit their schemas too, and the node must serve the repository's document.
 */
class OpenApiAnswersTest {
  static final String TOKEN = "openapi-answers-token";

  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().token(TOKEN).build();
  static final TestHttpClient api = node.http();
  static final OpenApiDocument doc = OpenApiDocument.load();

  /** Checks {@code answer} against the document's {@code method template} and gives it back. */
  static TestHttpClient.Answer documented(String method, String template, TestHttpClient.Answer answer) {
    OpenApiDocument.Operation op = doc.operation(method, template);
    JsonNode response = doc.response(op, answer.status()).orElseThrow(() -> new AssertionError(op + " answered "
        + answer.status() + ", documented only " + doc.statuses(op) + ": " + answer.body()));
    String type = answer.header("Content-Type").split(";")[0].trim();
    assertTrue(response.path("content").has(type), op + " " + answer.status() + " answered " + type);
    if (type.equals("application/json")) {
      List<String> errors = doc.errors(response, type, answer.json());
      assertEquals(List.of(), errors, op + " " + answer.status() + ": " + answer.body());
    }
    return answer;
  }

  static TestHttpClient.Answer get(String template, String path) {
    return documented("GET", template, api.get(path));
  }

  static TestHttpClient.Answer post(String template, String path, String body) {
    return documented("POST", template, api.post(path, body));
  }

  @Test
  void theNodeServesTheRepositorysDocument() {
    TestHttpClient.Answer served = get("/openapi.json", "/openapi.json");
    assertEquals(200, served.status());
    assertEquals(doc.root(), served.json());
    assertEquals("3.1.0", served.json().path("openapi").asText());
    assertEquals(401, documented("GET", "/openapi.json", api.send("GET", "/openapi.json", null, null)).status(),
        "it needs the token like the API it describes");
  }

  @Test
  void theDocumentsExamplesFitTheirSchemas() {
    List<OpenApiDocument.Example> examples = doc.examples();
    assertTrue(examples.size() > 40, "examples: " + examples.size());
    List<String> wrong = new ArrayList<>();
    for (OpenApiDocument.Example e : examples) {
      List<String> errors = doc.validate(e.schema(), e.value());
      if (!errors.isEmpty()) {
        wrong.add(e.where() + ": " + errors);
      }
    }
    assertEquals(List.of(), wrong);

    // the validator does reject: a wrong type, a missing required field, a value outside an enum
    JsonNode state = TestHttpClient.JSON.createObjectNode().put("$ref", "#/components/schemas/ExecutionState");
    JsonNode good = doc.root().at("/components/responses/ExecutionState/content/application~1json/example");
    assertEquals(List.of(), doc.validate(state, good));
    assertFalse(doc.validate(state, ((com.fasterxml.jackson.databind.node.ObjectNode) good.deepCopy())
        .put("status", "sleeping")).isEmpty());
    assertFalse(doc.validate(state, ((com.fasterxml.jackson.databind.node.ObjectNode) good.deepCopy())
        .remove(List.of("jobs"))).isEmpty());
    assertFalse(doc.validate(state, ((com.fasterxml.jackson.databind.node.ObjectNode) good.deepCopy())
        .put("createdAt", "yesterday")).isEmpty());
  }

  @Test
  void executionAnswersFitTheDocument() {
    String diamond = "{\"workflowId\": \"oa-diamond\", \"executionId\": \"oa-ok\", \"metadata\": {\"team\": \"docs\"},"
        + " \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}, {\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]},"
        + " {\"id\": \"c\", \"type\": \"sleep\", \"config\": {\"ms\": 50}, \"dependsOn\": [\"a\"]},"
        + " {\"id\": \"d\", \"type\": \"noop\", \"dependsOn\": [\"b\", \"c\"]}]}";
    String failing = "{\"workflowId\": \"oa-failing\", \"executionId\": \"oa-failed\", \"jobs\": ["
        + "{\"id\": \"boom\", \"type\": \"fail\", \"maxRetries\": 0, \"config\": {\"message\": \"on purpose\"}},"
        + " {\"id\": \"after\", \"type\": \"noop\", \"dependsOn\": [\"boom\"]}]}";
    assertEquals(202, post("/execute/distributed", "/execute/distributed", diamond).status());
    assertEquals(202, post("/execute/distributed", "/execute/distributed", failing).status());
    assertEquals(200, post("/execute/distributed", "/execute/distributed", diamond).status(), "idempotent");
    assertEquals(409, post("/execute/distributed", "/execute/distributed", failing.replace("oa-failed", "oa-ok"))
        .status());
    TestHttpClient.Answer cycle = post("/execute/distributed", "/execute/distributed", "{\"workflowId\": \"w\","
        + " \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", \"dependsOn\": [\"b\"]},"
        + " {\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}]}");
    assertEquals("INVALID_DAG", cycle.errorCode());

    assertEquals("completed", api.awaitFinished("oa-ok").path("status").asText());
    assertEquals("failed", api.awaitFinished("oa-failed").path("status").asText());
    get("/execute/{id}/status", "/execute/oa-ok/status");
    JsonNode failed = get("/execute/{id}/status", "/execute/oa-failed/status").json();
    assertEquals("skipped", failed.path("jobs").path("after").path("status").asText());
    assertEquals(404, get("/execute/{id}/status", "/execute/oa-nope/status").status());
    assertEquals(2, get("/execute", "/execute?limit=2").json().path("items").size());
    get("/execute", "/execute?workflowId=oa-diamond&status=completed");
    assertEquals(400, get("/execute", "/execute?limit=0").status());
    get("/execute/{id}/jobs/{jobId}", "/execute/oa-ok/jobs/d");
    JsonNode boom = get("/execute/{id}/jobs/{jobId}", "/execute/oa-failed/jobs/boom").json();
    assertEquals("failed", boom.path("attemptHistory").path(0).path("outcome").asText());
    get("/execute/{id}/jobs/{jobId}", "/execute/oa-failed/jobs/after");

    assertEquals(409, post("/execute/{id}/pause", "/execute/oa-ok/pause", null).status());
    assertEquals(200, post("/execute/{id}/checkpoint", "/execute/oa-ok/checkpoint", "{\"checkpointId\": \"ck-1\"}")
        .status());
    assertEquals(400, post("/execute/{id}/checkpoint", "/execute/oa-ok/checkpoint", "{}").status());
    assertEquals(200, post("/execute/{id}/retry", "/execute/oa-failed/retry", null).status());
    api.awaitFinished("oa-failed");
    assertEquals(401, documented("GET", "/execute", api.send("GET", "/execute", null, null)).status());
  }

  /** The stream's status and type are documented, and every event it sends is one the description lists. */
  @Test
  void theEventStreamSendsTheDocumentedEvents() {
    api.submitted("{\"workflowId\": \"oa-events\", \"executionId\": \"oa-sse\", \"jobs\": ["
        + "{\"id\": \"a\", \"type\": \"noop\"}, {\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}]}");
    api.awaitFinished("oa-sse");
    TestHttpClient.Answer stream = get("/execute/{id}/events", "/execute/oa-sse/events");
    assertEquals(200, stream.status());
    String description = doc.operation("GET", "/execute/{id}/events").node().path("description").asText();
    Set<String> listed = new TreeSet<>();
    Matcher m = Pattern.compile("`((?:job|execution|checkpoint)-[a-z-]+)`").matcher(description);
    while (m.find()) {
      listed.add(m.group(1));
    }
    Set<String> sent = new TreeSet<>();
    for (String line : stream.body().split("\n")) {
      if (line.startsWith("event:")) {
        sent.add(line.substring(6).trim());
      } else if (line.startsWith("data:")) {
        JsonNode data = TestHttpClient.JSON.valueToTree(parse(line.substring(5)));
        assertEquals("oa-sse", data.path("executionId").asText(), line);
        assertTrue(data.has("time") && data.has("jobId") && data.has("attemptId"), line);
      }
    }
    assertTrue(sent.contains("execution-completed"), stream.body());
    assertTrue(listed.containsAll(sent), "sent " + sent + ", documented " + listed);
    assertEquals(404, get("/execute/{id}/events", "/execute/oa-nope/events").status());
  }

  @Test
  void queueAnswersFitTheDocument() {
    String id = post("/queue/jobs", "/queue/jobs", "{\"type\": \"noop\", \"config\": {\"output\": {\"n\": 1}}}")
        .json().path("id").asText();
    api.until("/queue/jobs/" + id, j -> j.path("status").asText().equals("completed"), id + " to complete");
    get("/queue/jobs/{id}", "/queue/jobs/" + id);
    assertEquals(1, get("/queue/jobs/{id}/result", "/queue/jobs/" + id + "/result").json().path("output")
        .path("n").asInt());
    assertEquals(404, get("/queue/jobs/{id}", "/queue/jobs/no-colon").status());
    assertEquals(2, post("/queue/jobs/bulk", "/queue/jobs/bulk", "{\"jobs\": [{\"type\": \"noop\"},"
        + " {\"type\": \"noop\"}]}").json().path("ids").size());
    assertEquals(400, post("/queue/jobs/bulk", "/queue/jobs/bulk", "{\"jobs\": [{\"type\": \"noop\","
        + " \"priority\": 11}]}").status());
    get("/queue/jobs", "/queue/jobs?limit=5");
    get("/queue/jobs", "/queue/jobs?status=completed");

    assertTrue(post("/queue/pause", "/queue/pause", null).json().path("paused").asBoolean());
    String waiting = post("/queue/jobs", "/queue/jobs", "{\"type\": \"noop\"}").json().path("id").asText();
    JsonNode held = api.until("/queue/jobs/" + waiting, j -> j.path("status").asText().equals("queued"),
        waiting + " to be queued");
    documented("GET", "/queue/jobs/{id}", api.get("/queue/jobs/" + waiting));
    assertFalse(held.path("blockedBy").isMissingNode());
    assertTrue(get("/queue/stats", "/queue/stats").json().path("paused").asBoolean());
    assertEquals(200, post("/queue/jobs/{id}/cancel", "/queue/jobs/" + waiting + "/cancel", null).status());
    assertEquals(200, post("/queue/jobs/{id}/retry", "/queue/jobs/" + waiting + "/retry", null).status());
    assertFalse(post("/queue/resume", "/queue/resume", null).json().path("paused").asBoolean());
    post("/queue/drain", "/queue/drain", "{\"delayed\": true}");
    post("/queue/drain", "/queue/drain", null);
    post("/queue/clean", "/queue/clean", "{\"graceMs\": 0, \"type\": \"completed\"}");
    assertEquals(400, post("/queue/clean", "/queue/clean", "{\"type\": \"bogus\"}").status());
  }

  /** An HTTP worker's whole protocol: register, heartbeat, a long poll that gets a job, progress, complete. */
  @Test
  void workerAnswersFitTheDocument() {
    JsonNode cluster = get("/workers/list", "/workers/list").json();
    assertTrue(cluster.size() >= 1, cluster.toString());
    get("/workers/{id}/status", "/workers/" + cluster.get(0).path("workerId").asText() + "/status");
    get("/workers/stats", "/workers/stats");

    String register = "{\"workerId\": \"oa-worker\", \"hostname\": \"docs\", \"pid\": 7, \"capabilities\": [\"cpu\"],"
        + " \"maxConcurrency\": 2, \"jobTypes\": [\"oa-type\"], \"metadata\": {\"cpuCores\": 2, \"memoryGB\": 1.5}}";
    assertEquals(201, post("/workers/register", "/workers/register", register).status());
    assertEquals(400, post("/workers/register", "/workers/register", "{\"maxConcurrency\": -1}").status());
    post("/workers/{id}/heartbeat", "/workers/oa-worker/heartbeat", "{\"currentLoad\": 0}");
    String queued = api.post("/queue/jobs", "{\"type\": \"oa-type\", \"config\": {\"k\": 1}}").json().path("id")
        .asText();
    JsonNode offers = post("/workers/{id}/poll", "/workers/oa-worker/poll", "{\"max\": 1, \"waitMs\": 15000}")
        .json();
    assertEquals(1, offers.size(), offers.toString());
    String attempt = offers.get(0).path("attemptId").asText();
    get("/workers/{id}/status", "/workers/oa-worker/status");
    String progress = "/workers/oa-worker/jobs/" + attempt + "/progress";
    post("/workers/{id}/jobs/{attemptId}/progress", progress, "{\"percent\": 50, \"checkpoint\": {\"step\": 1}}");
    String complete = "/workers/oa-worker/jobs/" + attempt + "/complete";
    assertEquals(200, post("/workers/{id}/jobs/{attemptId}/complete", complete,
        "{\"success\": true, \"output\": {\"ok\": true}, \"logs\": [\"one\", \"two\"]}").status());
    api.until("/queue/jobs/" + queued, j -> j.path("status").asText().equals("completed"), queued + " completed");
    int stale = post("/workers/{id}/jobs/{attemptId}/progress", progress, "{\"percent\": 60}").status();
    assertEquals(409, stale, "a finished attempt is stale");
    assertEquals(200, documented("DELETE", "/workers/{id}", api.delete("/workers/oa-worker")).status());
    assertEquals(404, post("/workers/{id}/heartbeat", "/workers/oa-worker/heartbeat", null).status());
  }

  @Test
  void lockAnswersFitTheDocument() {
    JsonNode lock = post("/locks/{resource}", "/locks/oa-res", "{\"owner\": \"me\", \"ttlMs\": 30000}").json();
    String lockId = lock.path("lockId").asText();
    TestHttpClient.Answer held = post("/locks/{resource}", "/locks/oa-res", "{\"owner\": \"you\"}");
    assertEquals("LOCK_HELD", held.errorCode());
    get("/locks/{resource}", "/locks/oa-res");
    post("/locks/{resource}/{lockId}/extend", "/locks/oa-res/" + lockId + "/extend", "{\"extensionMs\": 10000}");
    assertEquals(400, post("/locks/{resource}/{lockId}/extend", "/locks/oa-res/" + lockId + "/extend", "{}").status());
    assertEquals(200, documented("DELETE", "/locks/{resource}/{lockId}", api.delete("/locks/oa-res/" + lockId))
        .status());
    assertEquals(409, documented("DELETE", "/locks/{resource}/{lockId}", api.delete("/locks/oa-res/" + lockId))
        .status());
    assertEquals(404, get("/locks/{resource}", "/locks/oa-res").status());
  }

  @Test
  void healthAndMetricsAnswersFitTheDocument() {
    for (String check : List.of("live", "ready", "state", "workers", "queue")) {
      get("/health/" + check, "/health/" + check);
    }
    assertEquals(200, documented("GET", "/health/live", api.send("GET", "/health/live", null, null)).status());
    assertEquals(405, documented("GET", "/health/ready", api.json("DELETE", "/health/ready", null)).status());
    assertTrue(get("/metrics", "/metrics").body().contains("gantry_http_requests"));
  }

  private static Object parse(String json) {
    try {
      return TestHttpClient.JSON.readValue(json, Object.class);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
