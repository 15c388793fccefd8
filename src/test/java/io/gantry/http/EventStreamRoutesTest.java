package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.execution.ExecutionEvents;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.PublicEvent;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /execute/{id}/events and the actor API's subscription, against a real node and Redis. */
class EventStreamRoutesTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();
  static final TestHttpClient api = node.http();

  record Sse(String type, long id, JsonNode data) {
  }

  static HttpResponse<Stream<String>> open(String executionId) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(api.base() + "/execute/" + executionId + "/events"))
        .header("Accept", "text/event-stream").GET().build();
    return api.client().sendAsync(r, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
  }

  /** Reads events until the server ends the stream (fails the test if it does not end within 60 s). */
  static List<Sse> readAll(HttpResponse<Stream<String>> response) throws Exception {
    return CompletableFuture.supplyAsync(() -> parse(response.body().iterator())).get(60, TimeUnit.SECONDS);
  }

  static List<Sse> parse(Iterator<String> lines) {
    List<Sse> events = new ArrayList<>();
    String type = null;
    String id = null;
    StringBuilder data = new StringBuilder();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data.length() > 0) {
          try {
            events.add(new Sse(type, Long.parseLong(id), TestHttpClient.JSON.readTree(data.toString())));
          } catch (Exception e) {
            throw new AssertionError("bad event data: " + data, e);
          }
        }
        type = null;
        id = null;
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        type = line.substring(6).trim();
      } else if (line.startsWith("id:")) {
        id = line.substring(3).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    return events;
  }

  static int indexOf(List<Sse> events, String type, String jobId) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).type().equals(type) && (jobId == null || jobId.equals(events.get(i).data().path("jobId").asText()))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void liveStreamDeliversTheDagsEventsInOrderAndEnds() throws Exception {
    String id = api.submitted("""
        {"workflowId": "sse", "jobs": [
          {"id": "first", "type": "sleep", "config": {"ms": 700}},
          {"id": "second", "type": "noop", "dependsOn": ["first"], "config": {"output": {"ok": true}}},
          {"id": "third", "type": "noop", "dependsOn": ["first"]}]}""");
    HttpResponse<Stream<String>> response = open(id);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    assertNotEquals("completed", api.get("/execute/" + id + "/status").json().get("status").asText(),
        "headers arrive while the execution still runs");
    List<Sse> events = readAll(response);

    assertEquals("execution-completed", events.get(events.size() - 1).type(), events::toString);
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i).id() >= events.get(i - 1).id(), "ids follow the journal order");
    }
    for (String job : List.of("first", "second", "third")) {
      int queued = indexOf(events, "job-queued", job);
      int started = indexOf(events, "job-started", job);
      int completed = indexOf(events, "job-completed", job);
      assertTrue(queued >= 0 && queued < started && started < completed, job + ": " + events);
    }
    assertTrue(indexOf(events, "job-completed", "first") < indexOf(events, "job-queued", "second"));
    Sse done = events.get(indexOf(events, "job-completed", "second"));
    assertEquals(id, done.data().get("executionId").asText());
    assertEquals(id + ":second:1", done.data().get("attemptId").asText());
    assertTrue(done.data().get("time").asLong() > 0);
    assertTrue(done.data().at("/output/ok").asBoolean());
  }

  @Test
  void finishedExecutionIsReplayedAndEnds() throws Exception {
    String id = api.submitted("""
        {"workflowId": "sse", "jobs": [
          {"id": "bad", "type": "fail", "maxRetries": 1, "backoff": {"initialMs": 50}},
          {"id": "after", "type": "noop", "dependsOn": ["bad"]}]}""");
    api.awaitFinished(id);
    List<Sse> events = readAll(open(id));
    List<String> types = events.stream().map(Sse::type).toList();
    assertEquals("execution-failed", types.get(types.size() - 1), types::toString);
    assertTrue(types.contains("job-retrying"), types::toString);
    assertTrue(indexOf(events, "job-retrying", "bad") < indexOf(events, "job-failed", "bad"));
    assertTrue(indexOf(events, "job-skipped", "after") > 0, types::toString);
    assertEquals(2, events.stream().filter(e -> e.type().equals("job-queued")).count(), types::toString);

    // After a retry the old final event is no longer the end: the replay goes on to the new one.
    assertEquals(200, api.post("/execute/" + id + "/retry", null).status());
    api.awaitFinished(id);
    List<String> again = readAll(open(id)).stream().map(Sse::type).toList();
    assertTrue(again.indexOf("execution-failed") < again.indexOf("execution-retried"), again::toString);
    assertTrue(again.get(again.size() - 1).startsWith("execution-"), again::toString);
    assertTrue(again.size() > types.size());
  }

  @Test
  void pauseResumeAndCancelAreStreamed() throws Exception {
    String id = api.submitted("""
        {"workflowId": "sse", "jobs": [{"id": "long", "type": "sleep", "config": {"ms": 60000}}]}""");
    HttpResponse<Stream<String>> response = open(id);
    CompletableFuture<List<Sse>> events = CompletableFuture.supplyAsync(() -> parse(response.body().iterator()));
    assertEquals(200, api.post("/execute/" + id + "/pause", null).status());
    assertEquals(200, api.post("/execute/" + id + "/resume", null).status());
    assertEquals(200, api.post("/execute/" + id + "/cancel", null).status());
    List<String> types = events.get(30, TimeUnit.SECONDS).stream().map(Sse::type).toList();
    assertTrue(types.indexOf("execution-paused") < types.indexOf("execution-resumed"), types::toString);
    assertEquals("execution-cancelled", types.get(types.size() - 1), types::toString);
  }

  @Test
  void unknownExecutionIsAJson404() {
    TestHttpClient.Answer a = api.get("/execute/no-such-run/events");
    assertEquals(404, a.status());
    assertEquals("NOT_FOUND", a.errorCode());
  }

  @Test
  void actorApiSubscriptionReceivesTheEvents() {
    String id = api.submitted("{\"workflowId\": \"sub\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    TestProbe<PublicEvent> probe = TestProbe.create(node.system());
    ExecutionEvents.Subscription sub = node.gantry().subscribe(id, probe.getRef());
    List<String> types = new ArrayList<>();
    PublicEvent e;
    do {
      e = probe.receiveMessage(Duration.ofSeconds(30));
      types.add(e.type());
    } while (!e.isFinal());
    assertEquals(List.of("job-queued", "job-started", "job-completed", "execution-completed"), types);
    Await.result(sub.done());

    ExecutionEvents.Subscription unknown = node.gantry().subscribe("none-such", probe.getRef());
    GantryException error = assertThrows(GantryException.class, () -> Await.result(unknown.done()));
    assertEquals("NOT_FOUND", error.code());
  }
}
