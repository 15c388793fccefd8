package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.execution.ExecutionIndex;
import io.gantry.execution.Retention;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The periodic retention pass forgets finished executions past the retention and keeps the rest. */
class RetentionSweepTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().config("gantry.execution.passivate-finished-after = 1s").build();
  static final TestHttpClient api = node.http();

  @Test
  void sweepForgetsOldFinishedExecutionsOnly() {
    String done = api.post("/execute/distributed", "{\"workflowId\": \"ret\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}")
        .json().get("executionId").asText();
    String failed = api.post("/execute/distributed",
        "{\"workflowId\": \"ret\", \"jobs\": [{\"id\": \"a\", \"type\": \"fail\", \"maxRetries\": 0}]}")
        .json().get("executionId").asText();
    api.awaitFinished(done);
    api.awaitFinished(failed);
    String running = api.post("/execute/distributed",
        "{\"workflowId\": \"ret\", \"jobs\": [{\"id\": \"a\", \"type\": \"sleep\", \"config\": {\"ms\": 30000}}]}")
        .json().get("executionId").asText();
    Retention retention = new Retention(node.system(), ExecutionIndex.of(node.system()),
        node.gantry()::execution);

    assertEquals(0, Await.result(retention.sweep(Duration.ofHours(1))), "nothing is older than an hour");
    assertEquals(3, api.get("/execute?workflowId=ret").json().get("items").size());

    assertEquals(2, Await.result(retention.sweep(Duration.ZERO)));
    var items = api.get("/execute?workflowId=ret").json().get("items");
    assertEquals(1, items.size());
    assertEquals(running, items.get(0).get("executionId").asText());
    for (String id : new String[] {done, failed}) {
      // 30 s: a query that reaches the entity while it passivates can go unanswered for the ask timeout.
      Await.until(() -> api.get("/execute/" + id + "/status").status(), s -> s == 404, Duration.ofSeconds(30),
          id + " to be forgotten");
    }
    assertEquals(200, api.get("/execute/" + running + "/status").status());
  }
}
