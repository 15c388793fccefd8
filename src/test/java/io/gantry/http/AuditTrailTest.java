package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trail through HTTP: GET /execute/{id}/audit and the events stream name the token and role of who
 * submitted, paused, resumed, cancelled or retried an execution or a queue job; the actor API records itself.
 */
class AuditTrailTest {
  static final String ADMIN = "audit-admin-5c7e9a1b3d";
  static final String SUBMIT = "audit-submit-0a2c4e6b8d";
  static final String ONCALL = "audit-oncall-7d9f1b3c5e";
  static final String READ = "audit-read-2e4a6c8d0f";

  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().config("gantry.worker.capabilities = [cpu]\n"
      + "gantry.http.tokens = \"ops:admin:" + ADMIN + ",ci:submit:" + SUBMIT + ",oncall:submit:" + ONCALL
      + ",dash:read:" + READ + "\"").build();
  static final TestHttpClient admin = new TestHttpClient(node.httpBase(), ADMIN);

  @Test
  void theAuditTrailNamesTheTokenAndRoleOfWhoActed() {
    TestHttpClient ci = new TestHttpClient(node.httpBase(), SUBMIT);
    TestHttpClient oncall = new TestHttpClient(node.httpBase(), ONCALL);
    TestHttpClient dashboard = new TestHttpClient(node.httpBase(), READ);
    String id = ci.submitted("{\"workflowId\": \"audit\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", "
        + "\"requiredCapabilities\": [\"gpu\"]}]}");
    assertEquals(200, oncall.post("/execute/" + id + "/cancel", null).status());

    JsonNode audit = dashboard.get("/execute/" + id + "/audit").json();
    assertEquals(id, audit.path("executionId").asText());
    assertEquals(List.of("submitted by ci (submit)", "cancelled by oncall (submit)"), actions(audit), audit.toString());
    assertEquals("[\"a\"]", audit.path("items").get(1).path("jobIds").toString());
    JsonNode cancelled = sseEvent(dashboard.get("/execute/" + id + "/events").body(), "execution-cancelled");
    assertEquals("oncall", cancelled.path("by").path("name").asText(), cancelled.toString());
    assertEquals("submit", cancelled.path("by").path("role").asText(), cancelled.toString());

    // a queue job: the actor API pauses, the admin token resumes and cancels it, another token retries it
    TestHttpClient.Answer queued = ci.post("/queue/jobs", TokenRolesTest.STUCK_JOB);
    String job = queued.json().path("id").asText();
    String execution = queued.json().path("executionId").asText();
    Await.result(node.gantry().pause(execution));
    assertEquals(200, admin.post("/execute/" + execution + "/resume", null).status());
    assertEquals(200, admin.post("/queue/jobs/" + job + "/cancel", null).status());
    assertEquals(200, oncall.post("/queue/jobs/" + job + "/retry", null).status());
    assertEquals(List.of("submitted by ci (submit)", "paused by actor-api (admin)", "resumed by ops (admin)",
        "cancelled by ops (admin)", "retried by oncall (submit)"),
        actions(dashboard.get("/execute/" + execution + "/audit").json()));
    assertEquals(List.of("submitted by ci (submit)", "paused by actor-api (admin)", "resumed by ops (admin)",
        "cancelled by ops (admin)", "retried by oncall (submit)"),
        Await.result(node.gantry().audit(execution)).stream()
            .map(e -> e.action() + " by " + e.by().name() + " (" + e.by().role() + ")").toList(), "the actor API");
    assertEquals(404, dashboard.get("/execute/no-such-execution/audit").status());

    // a drain cancels the queued job of another execution: recorded as done by who drained
    String drained = ci.submitted("{\"workflowId\": \"audit\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", "
        + "\"requiredCapabilities\": [\"gpu\"]}]}");
    assertEquals(200, oncall.post("/queue/drain", "{}").status());
    Await.until(() -> actions(dashboard.get("/execute/" + drained + "/audit").json()),
        a -> a.equals(List.of("submitted by ci (submit)", "cancelled by oncall (submit)")), Duration.ofSeconds(15),
        "the drain's cancel in the audit trail");
  }

  private static List<String> actions(JsonNode audit) {
    List<String> out = new ArrayList<>();
    audit.path("items").forEach(e -> out.add(e.path("action").asText() + " by " + e.path("by").path("name").asText()
        + " (" + e.path("by").path("role").asText() + ")"));
    return out;
  }

  /** The data of the first Server-Sent Event of {@code type} in a whole stream. */
  private static JsonNode sseEvent(String stream, String type) {
    for (String block : stream.split("\n\n")) {
      if (block.contains("event:" + type)) {
        for (String line : block.split("\n")) {
          if (line.startsWith("data:")) {
            try {
              return TestHttpClient.JSON.readTree(line.substring(5));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      }
    }
    throw new AssertionError("no " + type + " event in " + stream);
  }
}
