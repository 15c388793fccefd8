package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /health/* on a healthy node with every role: everything UP, with the figures each check reports. */
class HealthRoutesTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().build();
  static final TestHttpClient api = node.http();

  @Test
  void liveAndReadyAreUp() {
    TestHttpClient.Answer live = api.get("/health/live");
    assertEquals(200, live.status());
    assertEquals("UP", live.json().get("status").asText());
    TestHttpClient.Answer ready = api.get("/health/ready");
    assertEquals(200, ready.status(), ready.body());
    assertEquals("Up", ready.json().get("cluster").asText());
  }

  @Test
  void stateReportsRedisAndTheJournalWithTheirWarnings() {
    TestHttpClient.Answer state = api.get("/health/state");
    assertEquals(200, state.status(), state.body());
    JsonNode body = state.json();
    assertEquals("UP", body.get("status").asText());
    assertTrue(body.get("redis").get("reachable").asBoolean());
    JsonNode journal = body.get("journal");
    assertTrue(journal.get("reachable").asBoolean(), journal.toString());
    assertTrue(body.get("warnings").isArray());
    if (!journal.path("aofEnabled").asBoolean(true) && !journal.path("rdbEnabled").asBoolean(true)) {
      assertTrue(body.get("warnings").toString().contains("neither AOF nor RDB"), body.toString());
    }
  }

  @Test
  void workersAreUpWithTheClusterWorkerCounted() {
    JsonNode body = Await.until(() -> api.get("/health/workers"), a -> a.status() == 200, Duration.ofSeconds(20),
        "a live worker").json();
    assertEquals("UP", body.get("status").asText());
    assertTrue(body.get("live").asInt() >= 1, body.toString());
    assertTrue(body.get("byStatus").isObject(), body.toString());
  }

  @Test
  void queueShowsItsFiguresAndThePausedFlag() {
    JsonNode body = api.get("/health/queue").json();
    assertEquals("UP", body.get("status").asText(), body.toString());
    assertFalse(body.get("paused").asBoolean());
    assertTrue(body.has("queued") && body.has("active") && body.has("oldestQueuedAgeMs"), body.toString());
    Await.result(node.gantry().pauseQueue());
    try {
      TestHttpClient.Answer paused = api.get("/health/queue");
      assertEquals(200, paused.status());
      assertTrue(paused.json().get("paused").asBoolean(), paused.body());
    } finally {
      Await.result(node.gantry().resumeQueue());
    }
  }
}
