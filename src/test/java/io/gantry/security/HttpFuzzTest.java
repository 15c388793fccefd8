package io.gantry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of mutated bodies ({@link JsonMutator}) to every endpoint that takes JSON ({@link FuzzTargets}), against a
 * real node (orchestrator, worker and api, with a token) and Redis. Every answer must come within a bound, be below
 * 500, and a 4xx must be the API's JSON error; afterwards the node is ready, every execution a mutant created ends
 * (the test cancels what still runs) and a fresh DAG completes. One seeded Random makes the bodies: rerun a failure
 * with {@code -Dgantry.fuzz.seed=<seed>} (and {@code -Dgantry.fuzz.count=<n>} for the same number of inputs); every
 * failing body is also written to target/http-fuzz/. Paths that name live attempts or executions depend on timing.
 */
class HttpFuzzTest {
  private static final String TOKEN = "fuzz-" + "0123456789abcdef".repeat(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = Long.getLong("gantry.fuzz.seed", new Random().nextLong());
  private static final int COUNT = Integer.getInteger("gantry.fuzz.count", 0);
  private static final long BUDGET_MS = Long.getLong("gantry.fuzz.budget-ms", 30_000);
  private static final int MIN_INPUTS = Integer.getInteger("gantry.fuzz.min-inputs", 2_000);
  private static final long ANSWER_MS = Long.getLong("gantry.fuzz.answer-ms", 5_000);

  @RegisterExtension
  static final TestNode node = TestNode.builder().api().token(TOKEN)
      .config("gantry.worker.heartbeat-interval = 2s").build();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final FuzzTargets.Learned learned = new FuzzTargets.Learned();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> longPolls = new ArrayList<>();
  private final AtomicInteger cleaned = new AtomicInteger();
  private final AtomicInteger resent = new AtomicInteger();
  /** 2xx answers per target, to show that mutants also get through. */
  private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  /** The request answered before, named when a connection fails (the cause may be what that one left behind). */
  private volatile String previous = "none";

  /** One request of the fuzz. */
  record Input(int index, FuzzTargets.Target target, String path, String contentType, String bearer, byte[] body,
      String how) {
  }

  @Test
  void everyJsonBodyMutatedNeverFailsTheNode() throws Exception {
    System.out.println("HttpFuzzTest seed " + SEED + " (rerun: -Dgantry.fuzz.seed=" + SEED + ")");
    TestHttpClient api = node.http();
    String poller = registerPoller(api);
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    beats.scheduleAtFixedRate(() -> {
      try {
        api.post("/workers/" + poller + "/heartbeat", "{}");
      } catch (RuntimeException missed) {
        // the next beat comes in 700 ms; a throw here would end the schedule
      }
    }, 0, 700, TimeUnit.MILLISECONDS);
    Random bodies = new Random(SEED);
    FuzzTargets targets = new FuzzTargets(learned, new Random(SEED ^ 0x5DEECE66DL));
    JsonMutator mutator = new JsonMutator(bodies);
    long start = System.nanoTime();
    int sent = 0;
    int[] perTarget = new int[targets.all().size()];
    try {
      for (int i = 0; more(i, sent, start) && failures.size() < 20; i++) {
        FuzzTargets.Target target = targets.pick(bodies);
        JsonMutator.Mutant m = mutator.mutate(target.body().valid(bodies));
        String contentType = mutator.contentType();
        String bearer = bodies.nextInt(50) == 0 ? "wrong-" + TOKEN : TOKEN;
        Input in = new Input(i, target, target.path().of(targets.pathRandom()), contentType, bearer, m.body(),
            m.how());
        if (send(in, elapsedMs(start))) {
          sent++;
          perTarget[targets.all().indexOf(target)]++;
        }
      }
      for (CompletableFuture<Void> poll : longPolls) {
        poll.join();
      }
    } finally {
      beats.shutdownNow();
    }
    long took = elapsedMs(start);
    List<String> counts = new ArrayList<>();
    for (int t = 0; t < perTarget.length; t++) {
      String name = targets.all().get(t).name();
      counts.add(name + "=" + perTarget[t] + "/" + accepted.getOrDefault(name, new AtomicInteger()).get() + " 2xx");
    }
    System.out.printf("HttpFuzzTest: %d inputs in %d ms (%s); %d executions accepted; %d sent again after a "
        + "connection reset%n", sent, took, String.join(", ", counts), new LinkedHashSet<>(learned.executions).size(),
        resent.get());
    assertTrue(failures.isEmpty(), () -> failures.size() + " bad answers (seed " + SEED + ", rerun with "
        + "-Dgantry.fuzz.seed=" + SEED + "):\n" + String.join("\n", failures));
    assertTrue(COUNT > 0 || sent >= MIN_INPUTS, "only " + sent + " inputs sent");
    nodeIsHealthyAfterwards(api, poller);
  }

  /** Found by the fuzz: timers of Long.MAX_VALUE ms overflowed and crashed the Execution and its every recovery. */
  @Test
  void absurdTimeoutsAndBackoffsLeaveTheExecutionAnswering() {
    TestHttpClient api = node.http();
    long max = Long.MAX_VALUE;
    String quick = api.submitted("{\"workflowId\": \"absurd\", \"jobs\": [{\"id\": \"a\", \"type\": \"sleep\", "
        + "\"timeoutMs\": " + max + ", \"config\": {\"ms\": 20}}]}");
    assertEquals("completed", api.awaitFinished(quick).path("status").asText());
    String stuck = api.submitted("{\"workflowId\": \"absurd\", \"jobs\": [{\"id\": \"f\", \"type\": \"fail\", "
        + "\"maxRetries\": 1, \"backoff\": {\"initialMs\": " + max + ", \"multiplier\": 1e308, \"maxMs\": " + max
        + "}}, {\"id\": \"s\", \"type\": \"sleep\", \"timeoutMs\": " + max + ", \"config\": {\"ms\": " + max + "}}]}");
    JsonNode waiting = api.until("/execute/" + stuck + "/status", st -> st.path("jobs").path("f").path("status")
        .asText().equals("retrying") && st.path("jobs").path("s").path("status").asText().equals("running"),
        "f retrying at the end of time, s running");
    assertEquals(max, waiting.path("jobs").path("f").path("nextAttemptAt").asLong(), waiting::toString);
    assertEquals(200, api.post("/execute/" + stuck + "/cancel", "").status());
    assertEquals("cancelled", api.awaitFinished(stuck).path("status").asText());
  }

  /** Found by the fuzz: a lone surrogate was stored, the journal rejected the event, and the request hung. */
  @Test
  void aLoneSurrogateIsRefusedAndTheExecutionGoesOn() {
    TestHttpClient api = node.http();
    String id = api.submitted("{\"workflowId\": \"surrogate\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    TestHttpClient.Answer refused = api.post("/execute/" + id + "/checkpoint", "{\"checkpointId\": \"\\ud800\"}");
    assertEquals(400, refused.status(), refused::toString);
    assertEquals("INVALID_JSON", refused.errorCode());
    TestHttpClient.Answer dag = api.post("/execute/distributed", "{\"workflowId\": \"w\", \"metadata\": "
        + "{\"k\": \"\\udc00\"}, \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    assertEquals(400, dag.status(), dag::toString);
    assertEquals(200, api.post("/execute/" + id + "/checkpoint", "{\"checkpointId\": \"ck-\\ud83d\\ude00\"}").status());
    assertEquals("completed", api.awaitFinished(id).path("status").asText());
  }

  /**
   * Found by the fuzz: a number given as a string that Jackson read as null ({@code "waitMs": "\u0000"}) made a poll
   * wait the default 25 s instead of answering 400; numbers and booleans are now taken only as such.
   */
  @Test
  void aNumberGivenAsAStringIsRefusedAtOnce() {
    TestHttpClient api = node.http();
    TestHttpClient.Answer a = api.post("/workers/register", "{\"workerId\": \"fz-strict\", \"hostname\": \"h\", "
        + "\"pid\": 1, \"capabilities\": [\"cpu\"], \"maxConcurrency\": 1, \"jobTypes\": [\"nobody-sends-this\"]}");
    assertEquals(201, a.status(), a::toString);
    for (String wait : List.of("\"\\u0000\"", "\"\"", "\"100\"")) {
      long start = System.nanoTime();
      TestHttpClient.Answer poll = api.post("/workers/fz-strict/poll", "{\"max\": 1, \"waitMs\": " + wait + "}");
      assertEquals(400, poll.status(), () -> wait + ": " + poll);
      assertTrue(System.nanoTime() - start < 5_000_000_000L, wait + " answered only after a wait");
    }
    TestHttpClient.Answer clean = api.post("/queue/clean", "{\"graceMs\": \"5\", \"type\": \"completed\"}");
    assertEquals(400, clean.status(), clean::toString);
    assertEquals(200, api.delete("/workers/fz-strict").status());
  }

  /** {@code COUNT} inputs made when it is set (the same as a run with that seed), else the budget's worth. */
  private boolean more(int made, int sent, long start) {
    if (COUNT > 0) {
      return made < COUNT;
    }
    return sent < MIN_INPUTS || elapsedMs(start) < BUDGET_MS;
  }

  /** Sends one input and checks its answer; a long poll goes asynchronously. False when it was not sent. */
  private boolean send(Input in, long elapsed) throws InterruptedException {
    long wait = in.target().name().equals("poll") ? pollWait(in.body()) : 0;
    HttpRequest request;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.httpBase() + in.path()))
          .timeout(Duration.ofMillis(ANSWER_MS + wait))
          .header("Authorization", "Bearer " + in.bearer())
          .POST(HttpRequest.BodyPublishers.ofByteArray(in.body()));
      if (in.contentType() != null) {
        b.header("Content-Type", in.contentType());
      }
      request = b.build();
    } catch (IllegalArgumentException notSendable) {
      return false; // a header java.net.http refuses to send
    }
    if (wait > 1_000) {
      if (COUNT == 0 && elapsed + wait > BUDGET_MS) {
        return false; // it would outlast the budget
      }
      longPolls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .handle((r, e) -> {
            answered(in, r, e);
            return null;
          }));
      return true;
    }
    try {
      answered(in, client.send(request, HttpResponse.BodyHandlers.ofString()), null);
    } catch (HttpTimeoutException e) {
      answered(in, null, e);
    } catch (IOException e) {
      // The node answers some requests early (415, 401) and closes the connection: a client still writing a large
      // body may lose that answer to the reset. The same input once more must then be answered.
      resent.incrementAndGet();
      try {
        answered(in, client.send(request, HttpResponse.BodyHandlers.ofString()), null);
      } catch (IOException again) {
        answered(in, null, again);
      }
    }
    return true;
  }

  /** How long a poll body makes the node wait when no job is there: its waitMs, or the default of 25 s. */
  private static long pollWait(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return 25_000;
    }
    try {
      JsonNode poll = JSON.readTree(text);
      JsonNode wait = poll == null ? null : poll.get("waitMs");
      if (wait == null || wait.isNull()) {
        return 25_000;
      }
      return wait.isNumber() ? Math.max(0, Math.min(30_000, wait.asLong())) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private void answered(Input in, HttpResponse<String> r, Throwable error) {
    if (error != null) {
      Throwable e = error.getCause() != null && !(error instanceof IOException) ? error.getCause() : error;
      fail(in, e instanceof HttpTimeoutException ? "no answer within the bound (a hang)" : "request failed: " + e
          + "; the request answered before: " + previous);
      return;
    }
    int status = r.statusCode();
    previous = "#" + in.index() + " " + in.target().name() + " POST " + in.path() + " [" + in.how() + "] ("
        + in.body().length + " bytes) answered " + status + " " + r.headers().map();
    JsonNode body;
    try {
      body = r.body().isBlank() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      body = null;
    }
    if (status >= 500) {
      fail(in, "answered " + status + ": " + excerpt(r.body()));
    } else if (status >= 400) {
      JsonNode err = body == null ? null : body.get("error");
      if (err == null || !err.path("code").isTextual() || err.path("code").asText().isEmpty()
          || !err.path("message").isTextual()) {
        fail(in, "answered " + status + " without a JSON error {error: {code, message}}: " + excerpt(r.body()));
      }
    } else if (status >= 200 && status < 300) {
      accepted.computeIfAbsent(in.target().name(), k -> new AtomicInteger()).incrementAndGet();
      if (body != null) {
        learn(in, body);
      }
    }
  }

  private void learn(Input in, JsonNode body) {
    switch (in.target().name()) {
      case "submit", "submit bulk", "queue job" -> body.findValuesAsText("executionId").forEach(learned.executions::add);
      case "queue bulk" -> body.path("ids").forEach(id -> learned.executions.add(
          id.asText().substring(0, Math.max(0, id.asText().lastIndexOf(':')))));
      case "register" -> learned.workers.add(body.path("workerId").asText());
      case "poll" -> body.forEach(a -> {
        learned.attempts.add(a.path("attemptId").asText());
        if (learned.attempts.size() > 300) {
          learned.attempts.remove(0);
        }
      });
      case "lock acquire" -> learned.locks.add(new String[] {body.path("resource").asText(
          URLDecoder.decode(in.path().substring("/locks/".length()), StandardCharsets.UTF_8)),
          body.path("lockId").asText()});
      case "queue clean" -> cleaned.addAndGet(body.path("removed").asInt());
      default -> {
      }
    }
  }

  private void fail(Input in, String what) {
    String file = "";
    try {
      Path dir = Path.of("target", "http-fuzz");
      Files.createDirectories(dir);
      Path p = dir.resolve(SEED + "-" + in.index() + ".body");
      Files.write(p, in.body());
      file = " (body in " + p + ")";
    } catch (IOException ignored) {
      // the excerpt below still shows it
    }
    String line = "input #" + in.index() + " " + in.target().name() + " POST " + in.path() + " content-type="
        + in.contentType() + " [" + in.how() + "] " + what + "\n    body (" + in.body().length + " bytes)" + file
        + ": " + excerpt(new String(in.body(), StandardCharsets.UTF_8));
    System.out.println("HttpFuzzTest seed " + SEED + " FAILED " + line);
    failures.add(line);
  }

  private static String excerpt(String s) {
    String shown = s.length() > 700 ? s.substring(0, 500) + "...(" + s.length() + " chars)..."
        + s.substring(s.length() - 150) : s;
    StringBuilder sb = new StringBuilder();
    shown.codePoints().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
        : new String(Character.toChars(c))));
    return sb.toString();
  }

  private static long elapsedMs(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  // ---- the node afterwards

  /** The HTTP worker that takes the fuzz-http jobs; the fuzz polls for it and reports (mutated) on its attempts. */
  private String registerPoller(TestHttpClient api) {
    TestHttpClient.Answer a = api.post("/workers/register", "{\"workerId\": \"fuzz-poller\", \"hostname\": \"h\", "
        + "\"pid\": 1, \"capabilities\": [\"cpu\"], \"maxConcurrency\": 50, \"jobTypes\": [\""
        + FuzzTargets.HTTP_TYPE + "\"]}");
    assertEquals(201, a.status(), a::toString);
    learned.poller = a.json().path("workerId").asText();
    return learned.poller;
  }

  private void nodeIsHealthyAfterwards(TestHttpClient api, String poller) {
    for (String w : new LinkedHashSet<>(learned.workers)) {
      api.delete("/workers/" + enc(w));
    }
    api.delete("/workers/" + poller);
    Set<String> executions = new LinkedHashSet<>(learned.executions);
    for (String id : executions) {
      TestHttpClient.Answer s = api.get("/execute/" + enc(id) + "/status");
      if (s.status() == 200 && !finished(s.json())) {
        TestHttpClient.Answer c = api.post("/execute/" + enc(id) + "/cancel", "");
        assertTrue(c.status() == 200 || c.status() == 409, () -> "cancel " + id + ": " + c);
      }
    }
    for (String id : executions) {
      Await.until(() -> api.get("/execute/" + enc(id) + "/status"),
          s -> s.status() == 200 ? finished(s.json()) : s.status() == 404 && cleaned.get() > 0,
          Duration.ofSeconds(30), "accepted execution " + id + " to end (completed, failed or cancelled)");
    }
    TestHttpClient.Answer ready = api.get("/health/ready");
    assertEquals(200, ready.status(), ready::toString);
    String fresh = api.submitted("{\"workflowId\": \"after-fuzz\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}, "
        + "{\"id\": \"b\", \"type\": \"sleep\", \"dependsOn\": [\"a\"], \"config\": {\"ms\": 20}}, "
        + "{\"id\": \"c\", \"type\": \"noop\", \"dependsOn\": [\"a\", \"b\"]}]}");
    assertEquals("completed", api.awaitFinished(fresh).path("status").asText(), "a fresh DAG after the fuzz");
  }

  private static boolean finished(JsonNode status) {
    return status.path("status").asText().matches("completed|failed|cancelled");
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
