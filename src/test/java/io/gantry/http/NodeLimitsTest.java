package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits of API.md "Limits" through HTTP against real nodes: each answers 429 (Retry-After), 413 or 400 naming
 * the limit, and stores nothing. {@code limited} has no worker, so what it accepts stays queued; the cases run in
 * order on it (bounds first, then the queue fills, then the streams and polls use what it holds).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLimitsTest {
  static final String CI_TOKEN = "limits-ci-token-0123456789abcdef01";

  @RegisterExtension
  static final TestNode limited = TestNode.builder().api().roles("orchestrator").awaitIndex()
      .config("gantry.queue.max-queued = 3\ngantry.http.max-event-streams-per-client = 2\n"
          + "gantry.http.max-long-polls-per-worker = 1").build();

  @RegisterExtension
  static final TestNode rated = TestNode.builder().api().roles("orchestrator").awaitIndex()
      .token("limits-admin-token-0123456789abcdef")
      .config("gantry.http.submit-rate-limit = 0.2\ngantry.http.submit-rate-burst = 3\n"
          + "gantry.http.tokens = [{name: ci, role: submit, token: \"" + CI_TOKEN + "\"}]").build();

  static final TestHttpClient api = limited.http();
  static final String NOOP = "{\"type\": \"noop\"}";

  @Test
  @Order(1)
  void documentBoundsAnswer400Or413NamingTheFieldAndStoreNothing() {
    String before = stored(api);
    StringBuilder deps = new StringBuilder();
    for (int i = 0; i < 1001; i++) {
      deps.append(i == 0 ? "" : ", ").append("\"d").append(i).append('"');
    }
    TestHttpClient.Answer tooManyDeps = api.post("/execute/distributed", dag("{\"id\": \"a\", \"type\": \"noop\", "
        + "\"dependsOn\": [" + deps + "]}"));
    assertRefused(tooManyDeps, 400, "INVALID_DAG", "dependsOn has 1001 entries, at most 1000");

    StringBuilder env = new StringBuilder();
    for (int i = 0; i < 257; i++) {
      env.append(i == 0 ? "" : ", ").append("\"V").append(i).append("\": \"x\"");
    }
    assertRefused(api.post("/execute/distributed", dag(shell("[\"echo\"]", ", \"env\": {" + env + "}"))), 400,
        "INVALID_DAG", "config.env has 257 entries, at most 256");

    String longArg = "x".repeat(32 * 1024 + 1);
    assertRefused(api.post("/execute/distributed", dag(shell("[\"echo\", \"" + longArg + "\"]", ""))), 413,
        "PAYLOAD_TOO_LARGE", "config.command[1] is 32769 characters long, at most 32768");

    String bigConfig = "{\"id\": \"big\", \"type\": \"noop\", \"config\": {\"blob\": \"" + "y".repeat(300_000) + "\"}}";
    assertRefused(api.post("/execute/distributed", dag(bigConfig)), 413, "PAYLOAD_TOO_LARGE",
        "config is 300011 bytes as JSON, at most 262144");

    String deep = "[".repeat(40) + "]".repeat(40);
    assertRefused(api.post("/execute/distributed", dag("{\"id\": \"deep\", \"type\": \"noop\", \"config\": {\"d\": "
        + deep + "}}")), 413, "PAYLOAD_TOO_LARGE", "config nests deeper than 32 levels");

    String bigMetadata = "{\"note\": \"" + "m".repeat(17_000) + "\"}";
    assertRefused(api.post("/execute/distributed", "{\"workflowId\": \"limits\", \"metadata\": " + bigMetadata
        + ", \"jobs\": [" + NOOP + "]}"), 413, "PAYLOAD_TOO_LARGE", "metadata is 17011 bytes as JSON, at most 16384");
    assertRefused(api.post("/queue/jobs", "{\"type\": \"noop\", \"metadata\": " + bigMetadata + "}"), 413,
        "PAYLOAD_TOO_LARGE", "metadata is 17011 bytes as JSON, at most 16384");
    assertRefused(api.post("/queue/jobs/bulk", "{\"jobs\": [" + NOOP + ", {\"type\": \"noop\", \"config\": "
        + "{\"blob\": \"" + "y".repeat(300_000) + "\"}}]}"), 413, "PAYLOAD_TOO_LARGE", "jobs[1]");
    assertEquals(before, stored(api), "nothing was stored");
  }

  @Test
  @Order(2)
  void pastMaxQueuedEverySubmitAnswers429AndStoresNothing() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(202, api.post("/queue/jobs", NOOP).status());
    }
    Await.until(() -> api.get("/queue/stats").json().path("queued").asLong(), n -> n == 3, Duration.ofSeconds(20),
        "three queued attempts");
    Thread.sleep(QueuedCount.FRESH_MS + 200);
    String before = stored(api);
    for (String[] submit : List.of(new String[] {"/queue/jobs", NOOP},
        new String[] {"/queue/jobs/bulk", "{\"jobs\": [" + NOOP + "]}"},
        new String[] {"/execute/distributed", dag(NOOP)},
        new String[] {"/execute/distributed/bulk", "{\"executions\": [" + dag(NOOP) + "]}"})) {
      TestHttpClient.Answer a = api.post(submit[0], submit[1]);
      assertRefused(a, 429, "TOO_MANY_REQUESTS", "the queue is full: 3 attempts are queued, gantry.queue.max-queued is 3");
      assertEquals("gantry.queue.max-queued", a.json().path("error").path("details").path("limit").asText(), a::toString);
      assertEquals("5", a.header("Retry-After"), submit[0]);
    }
    assertEquals(before, stored(api), "nothing was stored");
    assertEquals(3, api.get("/queue/stats").json().path("queued").asLong());
  }

  @Test
  @Order(3)
  void eventStreamsPerClientAreBoundedAndAClosedOneFreesItsSlot() throws Exception {
    String id = api.get("/queue/jobs").json().path("items").get(0).path("executionId").asText();
    try (Socket first = openEvents(id); Socket second = openEvents(id)) {
      TestHttpClient.Answer third = api.get("/execute/" + id + "/events");
      assertRefused(third, 429, "TOO_MANY_REQUESTS", "gantry.http.max-event-streams-per-client is 2");
      assertEquals("1", third.header("Retry-After"));
      first.close();
      // The node sees the closed connection at once, or at the latest at the stream's next heartbeat (15 s).
      Await.until(() -> {
        try (Socket again = openEvents(id)) {
          return true;
        } catch (Exception e) {
          return false;
        }
      }, ok -> ok, Duration.ofSeconds(40), "a stream to open once one was closed");
    }
  }

  @Test
  @Order(4)
  void longPollsPerWorkerAreBounded() throws Exception {
    TestHttpClient.Answer reg = api.post("/workers/register", "{\"hostname\": \"limits\", \"pid\": 1, "
        + "\"capabilities\": [\"cpu\"], \"maxConcurrency\": 1, \"jobTypes\": [\"limits-test-nothing\"]}");
    assertEquals(201, reg.status(), reg::toString);
    String worker = reg.json().path("workerId").asText();
    CompletableFuture<TestHttpClient.Answer> open = CompletableFuture.supplyAsync(
        () -> api.post("/workers/" + worker + "/poll", "{\"max\": 1, \"waitMs\": 8000}"));
    // Not a retry loop: a poll let through would replace the open one (the registry answers the older at once).
    Thread.sleep(1500);
    TestHttpClient.Answer second = api.post("/workers/" + worker + "/poll", "{\"max\": 1, \"waitMs\": 100}");
    assertRefused(second, 429, "TOO_MANY_REQUESTS", "gantry.http.max-long-polls-per-worker is 1");
    assertEquals(200, open.get(20, TimeUnit.SECONDS).status());
    assertEquals(200, api.post("/workers/" + worker + "/poll", "{\"max\": 1, \"waitMs\": 100}").status(),
        "the slot is free once the poll answered");
  }

  @Test
  void submitsPastTheRatePerClientAnswer429WithRetryAfter() {
    TestHttpClient r = rated.http();
    for (int i = 0; i < 3; i++) {
      assertEquals(202, r.post("/queue/jobs", NOOP).status());
    }
    String before = stored(r);
    TestHttpClient.Answer refused = r.post("/execute/distributed", dag(NOOP));
    assertRefused(refused, 429, "TOO_MANY_REQUESTS", "gantry.http.submit-rate-limit allows 0.2 per second");
    long retry = Long.parseLong(refused.header("Retry-After"));
    assertTrue(retry >= 1 && retry <= 5, refused::toString);
    assertEquals(before, stored(r), "nothing was stored");
    assertEquals(200, r.get("/queue/stats").status(), "reads are not rate limited");
    TestHttpClient ci = new TestHttpClient(rated.httpBase(), CI_TOKEN);
    assertEquals(202, ci.post("/queue/jobs", NOOP).status(), "another token has a bucket of its own");
  }

  /** An event stream on a socket of its own (closing it closes the connection); fails unless it answers 200. */
  private static Socket openEvents(String id) throws Exception {
    Socket socket = new Socket("127.0.0.1", limited.httpPort());
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("GET /execute/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    if (status == null || !status.startsWith("HTTP/1.1 200")) {
      socket.close();
      throw new IllegalStateException("event stream refused: " + status);
    }
    return socket;
  }

  /** The listing of executions and of queue jobs: equal before and after means nothing was stored. */
  private static String stored(TestHttpClient http) {
    JsonNode executions = http.get("/execute?limit=100").json();
    JsonNode jobs = http.get("/queue/jobs?limit=100").json();
    return executions.path("items").size() + " executions " + executions + " / " + jobs.path("items").size()
        + " queue jobs";
  }

  private static void assertRefused(TestHttpClient.Answer a, int status, String code, String message) {
    assertEquals(status, a.status(), a::toString);
    assertEquals(code, a.errorCode(), a::toString);
    assertTrue(a.json().path("error").path("message").asText().contains(message), a::toString);
  }

  private static String dag(String jobs) {
    return "{\"workflowId\": \"limits\", \"jobs\": [" + jobs + "]}";
  }

  private static String shell(String argv, String more) {
    return "{\"id\": \"s\", \"type\": \"shell\", \"config\": {\"command\": " + argv + more + "}}";
  }
}
