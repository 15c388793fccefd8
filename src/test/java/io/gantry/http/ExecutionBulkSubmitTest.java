package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.redis.GantryRedis;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /execute/distributed/bulk against a real node and Redis: answers in the order given, every DAG runs, and a
 * refused bulk (an invalid document, an id used twice, too many documents, a conflicting resubmit) stores nothing.
 */
class ExecutionBulkSubmitTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();
  static final TestHttpClient api = node.http();

  private static String fanIn(String workflowId, String executionId) {
    return "{\"workflowId\": \"" + workflowId + "\"" + (executionId == null ? "" : ", \"executionId\": \""
        + executionId + "\"") + ", \"jobs\": [{\"id\": \"c1\", \"type\": \"noop\"},"
        + " {\"id\": \"c2\", \"type\": \"noop\"},"
        + " {\"id\": \"root\", \"type\": \"noop\", \"dependsOn\": [\"c1\", \"c2\"]}]}";
  }

  private static String bulk(List<String> documents) {
    return "{\"executions\": [" + String.join(", ", documents) + "]}";
  }

  /** Every key of this node's Redis prefix (index and journals) whose name holds {@code part}. */
  private static List<String> keysWith(String part) {
    return Await.result(GantryRedis.get(node.system()).connection().run("KEYS",
        r -> r.keys(node.prefix() + "*" + part + "*")));
  }

  private static int listed(String workflowId) {
    return api.get("/execute?workflowId=" + workflowId + "&limit=1000").json().get("items").size();
  }

  @Test
  void answersInTheOrderGivenAndEveryDagCompletes() {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 60; i++) { // every third without an id: the node names it
      docs.add(fanIn("bulk-order-" + i % 7, i % 3 == 0 ? null : "bulk-order-x" + i));
    }
    TestHttpClient.Answer a = api.post("/execute/distributed/bulk", bulk(docs));
    assertEquals(202, a.status(), a::toString);
    JsonNode items = a.json().get("items");
    assertEquals(60, items.size());
    for (int i = 0; i < 60; i++) {
      JsonNode item = items.get(i);
      String id = item.get("executionId").asText();
      assertEquals("bulk-order-" + i % 7, item.get("workflowId").asText(), "item " + i);
      if (i % 3 == 0) {
        assertTrue(id.startsWith("ex-"), id);
      } else {
        assertEquals("bulk-order-x" + i, id);
      }
      assertEquals("/execute/" + id + "/status", item.get("statusUrl").asText());
      assertTrue(item.get("status").asText().matches("pending|running|completed"), item::toString);
    }
    for (JsonNode item : items) {
      JsonNode state = api.awaitFinished(item.get("executionId").asText());
      assertEquals("completed", state.get("status").asText(), state::toString);
      assertEquals(3, state.get("completedJobs").size());
    }
    int total = 0;
    for (int w = 0; w < 7; w++) {
      total += listed("bulk-order-" + w);
    }
    assertEquals(60, total, "each execution listed once");
  }

  @Test
  void oneInvalidDocumentRejectsTheBulkNamingItsIndexAndStoresNothing() {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      docs.add(fanIn("bulk-bad", "bulk-bad-" + i));
    }
    docs.set(3, "{\"workflowId\": \"bulk-bad\", \"executionId\": \"bulk-bad-3\", \"jobs\": ["
        + "{\"id\": \"a\", \"type\": \"noop\", \"dependsOn\": [\"b\"]},"
        + " {\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}]}");
    TestHttpClient.Answer cycle = api.post("/execute/distributed/bulk", bulk(docs));
    assertEquals(400, cycle.status(), cycle::toString);
    assertEquals("INVALID_DAG", cycle.errorCode());
    assertTrue(cycle.json().at("/error/message").asText().startsWith("executions[3]: "), cycle::toString);
    assertTrue(cycle.json().at("/error/details/0").asText().startsWith("executions[3]: "), cycle::toString);

    docs.set(3, fanIn("bulk-bad", "bulk-bad-3"));
    docs.set(2, "{\"workflowId\": \"bulk-bad\", \"jobz\": [], \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    TestHttpClient.Answer field = api.post("/execute/distributed/bulk", bulk(docs));
    assertEquals(400, field.status(), field::toString);
    assertTrue(field.json().at("/error/message").asText().startsWith("executions[2]: "), field::toString);
    assertTrue(field.body().contains("jobz"), field::toString);

    for (String body : List.of("{\"executions\": [", "{}", "{\"executions\": {}}", "{\"executions\": []}",
        "{\"executions\": [" + fanIn("bulk-bad", "bulk-bad-9") + "], \"more\": 1}", "")) {
      TestHttpClient.Answer a = api.post("/execute/distributed/bulk", body);
      assertEquals(400, a.status(), () -> body + " -> " + a);
    }
    assertEquals(0, listed("bulk-bad"), "nothing listed");
    assertEquals(List.of(), keysWith("bulk-bad"), "nothing in Redis");
  }

  @Test
  void anExecutionIdTwiceInOneBulkIsRefused() {
    List<String> docs = List.of(fanIn("bulk-dup", "bulk-dup-a"), fanIn("bulk-dup", "bulk-dup-b"),
        fanIn("bulk-dup", "bulk-dup-a"));
    TestHttpClient.Answer a = api.post("/execute/distributed/bulk", bulk(docs));
    assertEquals(400, a.status(), a::toString);
    String message = a.json().at("/error/message").asText();
    assertTrue(message.startsWith("executions[2]: ") && message.contains("executions[0]"), message);
    assertEquals(0, listed("bulk-dup"));
    assertEquals(List.of(), keysWith("bulk-dup"));
  }

  @Test
  void moreThanAThousandDocumentsAreRefused() {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      docs.add("{\"workflowId\": \"bulk-big\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    }
    TestHttpClient.Answer a = api.post("/execute/distributed/bulk", bulk(docs));
    assertEquals(413, a.status(), a::toString);
    assertEquals("PAYLOAD_TOO_LARGE", a.errorCode());
    assertTrue(a.json().at("/error/message").asText().contains("1000"), a::toString);
    assertEquals(0, listed("bulk-big"));
  }

  @Test
  void idempotentPerExecutionIdAndAConflictCreatesNothing() {
    String body = bulk(List.of(fanIn("bulk-idem", "bulk-idem-1"), fanIn("bulk-idem", "bulk-idem-2")));
    assertEquals(202, api.post("/execute/distributed/bulk", body).status());
    TestHttpClient.Answer again = api.post("/execute/distributed/bulk", body);
    assertEquals(202, again.status(), again::toString);
    assertEquals("bulk-idem-1", again.json().at("/items/0/executionId").asText());
    assertEquals("bulk-idem-2", again.json().at("/items/1/executionId").asText());
    api.awaitFinished("bulk-idem-1");
    api.awaitFinished("bulk-idem-2");
    assertEquals(2, listed("bulk-idem"), "a resubmit creates nothing");
    assertTrue(keysWith("bulk-idem-1").size() >= 2, "its index entry and journal are where keysWith looks");

    String other = "{\"workflowId\": \"bulk-idem\", \"executionId\": \"bulk-idem-1\", \"jobs\": [{\"id\": \"z\","
        + " \"type\": \"noop\"}]}";
    TestHttpClient.Answer conflict = api.post("/execute/distributed/bulk",
        bulk(List.of(fanIn("bulk-idem", "bulk-idem-3"), other)));
    assertEquals(409, conflict.status(), conflict::toString);
    assertEquals("CONFLICT", conflict.errorCode());
    assertTrue(conflict.json().at("/error/message").asText().startsWith("executions[1]: "), conflict::toString);
    assertEquals(404, api.get("/execute/bulk-idem-3/status").status(), "the new one of a refused bulk is not created");
    assertEquals(List.of(), keysWith("bulk-idem-3"));
    assertEquals(2, listed("bulk-idem"));
  }
}
