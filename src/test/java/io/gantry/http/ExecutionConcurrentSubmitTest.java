package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many single submits at once (their index entries are written many per Redis call): every execution is listed
 * once with its job count and runs, and the same executionId submitted twice at once is still one execution.
 */
class ExecutionConcurrentSubmitTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();
  static final TestHttpClient api = node.http();

  @Test
  void concurrentSubmitsAreEachIndexedOnceAndRun() throws Exception {
    int n = 240;
    ExecutorService clients = Executors.newFixedThreadPool(32);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Map<Integer, String> ids = new ConcurrentHashMap<>();
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        // every fourth names its id, and each such id is sent twice at once
        String id = k % 4 == 0 ? "conc-" + (k / 8) : null;
        String doc = "{\"workflowId\": \"conc\"" + (id == null ? "" : ", \"executionId\": \"" + id + "\"")
            + ", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}, {\"id\": \"b\", \"type\": \"noop\","
            + " \"dependsOn\": [\"a\"]}]}";
        sent.add(clients.submit(() -> {
          TestHttpClient.Answer a = api.post("/execute/distributed", doc);
          statuses.put(k, a.status());
          if (a.status() / 100 == 2) {
            ids.put(k, a.json().get("executionId").asText());
          }
        }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
    Map<String, Integer> created = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int status = statuses.get(i);
      assertTrue(status == 202 || (status == 200 && i % 4 == 0), "submit " + i + " answered " + status);
      created.merge(ids.get(i), status == 202 ? 1 : 0, Integer::sum);
    }
    int distinct = n - n / 8; // 30 ids named twice
    assertEquals(distinct, created.size());
    created.forEach((id, times) -> assertEquals(1, times, id + " created once"));

    Map<String, Integer> listed = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page = api.get("/execute?workflowId=conc&limit=100" + (cursor == null ? "" : "&cursor=" + cursor))
          .json();
      for (JsonNode e : page.get("items")) {
        listed.merge(e.get("executionId").asText(), 1, Integer::sum);
        assertEquals(2, e.get("jobCount").asInt(), e::toString);
      }
      cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
    } while (cursor != null);
    assertEquals(created.keySet(), listed.keySet());
    listed.forEach((id, times) -> assertEquals(1, times, id + " listed once"));
    for (String id : created.keySet()) {
      assertEquals("completed", api.awaitFinished(id).get("status").asText(), id);
    }
  }
}
