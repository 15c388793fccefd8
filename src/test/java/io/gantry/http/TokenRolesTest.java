package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every role against every endpoint class (API.md "Tokens and roles"), through HTTP against a real node whose tokens
 * come from HOCON (admin, two submit) and from a tokens file (read, worker): the roles allowed get their 2xx on a real
 * resource made for the call, no token or an unknown one 401, another role 403 FORBIDDEN naming the roles needed,
 * and a refused call changes nothing.
 */
class TokenRolesTest {
  static final String ADMIN = "admin-token-7f3c9a1e5b";
  static final String SUBMIT = "submit-token-2d8e4b6a0c";
  static final String ONCALL = "oncall-token-9a1c3e5f7b";
  static final String READ = "read-token-4b6d8f0a2c";
  static final String WORKER = "worker-token-6e8a0c2d4f";
  static final Path TOKENS_FILE = tokensFile();

  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().config("gantry.worker.capabilities = [cpu]\n"
      + "gantry.http.tokens = [{name = ops, role = admin, token = \"" + ADMIN + "\"},\n"
      + "  {name = ci, role = submit, token = \"" + SUBMIT + "\"}, {name = oncall, role = submit, token = \""
      + ONCALL + "\"}]\n"
      + "gantry.http.tokens-file = \"" + TOKENS_FILE + "\"").build();
  static TestHttpClient admin;
  static String finished;
  static final AtomicInteger n = new AtomicInteger();

  /** Who calls: a role's token, or none, or a token the node does not know. */
  enum Caller {
    NONE(null), UNKNOWN("no-such-token-0123456789"), ADMIN(TokenRolesTest.ADMIN), SUBMIT(TokenRolesTest.SUBMIT),
    READ(TokenRolesTest.READ), WORKER(TokenRolesTest.WORKER);

    final String token;

    Caller(String token) {
      this.token = token;
    }
  }

  /** One request on a resource made for it; {@code state} reads what it may change, {@code after} tidies up. */
  record Call(String method, String path, String body, Supplier<String> state, Runnable after) {
    static Call of(String method, String path, String body) {
      return new Call(method, path, body, null, () -> { });
    }

    Call state(Supplier<String> reader) {
      return new Call(method, path, body, reader, after);
    }

    Call after(Runnable tidy) {
      return new Call(method, path, body, state, tidy);
    }
  }

  /** {@code ok}: the answer an allowed caller gets, 0 for any 2xx. */
  record Case(String what, Set<Caller> allowed, Supplier<Call> call, int ok) {
    Case(String what, Set<Caller> allowed, Supplier<Call> call) {
      this(what, allowed, call, 0);
    }
  }

  static final Set<Caller> OPEN = Set.of(Caller.values());
  static final Set<Caller> EVERY_ROLE = Set.of(Caller.ADMIN, Caller.SUBMIT, Caller.READ, Caller.WORKER);
  static final Set<Caller> READERS = Set.of(Caller.ADMIN, Caller.SUBMIT, Caller.READ);
  static final Set<Caller> SUBMITTERS = Set.of(Caller.ADMIN, Caller.SUBMIT);
  static final Set<Caller> LOCKERS = Set.of(Caller.ADMIN, Caller.SUBMIT, Caller.WORKER);
  static final Set<Caller> WORKERS = Set.of(Caller.ADMIN, Caller.WORKER);
  static final Set<Caller> ADMINS = Set.of(Caller.ADMIN);

  @BeforeAll
  static void fixtures() {
    admin = new TestHttpClient(node.httpBase(), ADMIN);
    finished = admin.submitted("{\"workflowId\": \"tok\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
    assertEquals("completed", admin.awaitFinished(finished).path("status").asText());
  }

  static List<Case> cases() {
    return List.of(
        new Case("GET /", OPEN, () -> Call.of("GET", "/", null)),
        new Case("GET /health/live", OPEN, () -> Call.of("GET", "/health/live", null)),
        new Case("GET /health/ready", OPEN, () -> Call.of("GET", "/health/ready", null)),
        new Case("GET /health/state", EVERY_ROLE, () -> Call.of("GET", "/health/state", null)),
        new Case("GET /health/workers", EVERY_ROLE, () -> Call.of("GET", "/health/workers", null)),
        new Case("GET /metrics", EVERY_ROLE, () -> Call.of("GET", "/metrics", null)),
        new Case("GET /execute", READERS, () -> Call.of("GET", "/execute?limit=5", null)),
        new Case("GET status", READERS, () -> Call.of("GET", "/execute/" + finished + "/status", null)),
        new Case("GET job", READERS, () -> Call.of("GET", "/execute/" + finished + "/jobs/a", null)),
        new Case("GET events", READERS, () -> Call.of("GET", "/execute/" + finished + "/events", null)),
        new Case("GET audit", READERS, () -> Call.of("GET", "/execute/" + finished + "/audit", null)),
        new Case("GET /queue/stats", READERS, () -> Call.of("GET", "/queue/stats", null)),
        new Case("GET /queue/jobs", READERS, () -> Call.of("GET", "/queue/jobs?limit=5", null)),
        new Case("GET /workers/list", READERS, () -> Call.of("GET", "/workers/list", null)),
        new Case("GET /workers/stats", READERS, () -> Call.of("GET", "/workers/stats", null)),
        new Case("POST /execute/distributed", SUBMITTERS, () -> {
          String id = "tok-new-" + n.incrementAndGet();
          return Call.of("POST", "/execute/distributed", "{\"workflowId\": \"tok\", \"executionId\": \"" + id
              + "\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}").state(() -> status(id));
        }),
        new Case("POST pause", SUBMITTERS, () -> executionCall("pause", stuck())),
        new Case("POST resume", SUBMITTERS, () -> executionCall("resume", paused())),
        new Case("POST cancel", SUBMITTERS, () -> executionCall("cancel", stuck())),
        new Case("POST retry", SUBMITTERS, () -> executionCall("retry", failed())),
        new Case("POST checkpoint", SUBMITTERS, () -> {
          String id = stuck();
          return Call.of("POST", "/execute/" + id + "/checkpoint", "{\"checkpointId\": \"c1\"}")
              .state(() -> admin.get("/execute/" + id + "/status").json().path("checkpointId").asText());
        }),
        new Case("POST /queue/jobs", SUBMITTERS, () -> Call.of("POST", "/queue/jobs", "{\"type\": \"noop\"}")),
        new Case("POST /queue/jobs/bulk", SUBMITTERS, () -> Call.of("POST", "/queue/jobs/bulk",
            "{\"jobs\": [{\"type\": \"noop\"}, {\"type\": \"noop\"}]}")),
        new Case("POST queue job cancel", SUBMITTERS, () -> queueJobCall("cancel", queueJob(STUCK_JOB))),
        new Case("POST queue job retry", SUBMITTERS, () -> {
          String id = queueJob("{\"type\": \"fail\", \"maxRetries\": 0}");
          Await.until(() -> queueJobStatus(id), "failed"::equals, Duration.ofSeconds(30), id + " failed");
          return queueJobCall("retry", id);
        }),
        new Case("POST /queue/pause", SUBMITTERS, () -> Call.of("POST", "/queue/pause", null)
            .state(TokenRolesTest::queuePaused).after(() -> admin.post("/queue/resume", null))),
        new Case("POST /queue/resume", SUBMITTERS, () -> {
          assertEquals(200, admin.post("/queue/pause", null).status());
          return Call.of("POST", "/queue/resume", null).state(TokenRolesTest::queuePaused)
              .after(() -> admin.post("/queue/resume", null));
        }),
        new Case("POST /queue/drain", SUBMITTERS, () -> {
          String id = stuck();
          return Call.of("POST", "/queue/drain", "{}").state(() -> status(id));
        }),
        new Case("POST /queue/clean", ADMINS, () -> Call.of("POST", "/queue/clean",
            "{\"graceMs\": 3600000, \"limit\": 10}")),
        new Case("POST /queue/clean percent-encoded", ADMINS, () -> Call.of("POST", "/queue/%63lean",
            "{\"graceMs\": 3600000, \"limit\": 10}")),
        new Case("POST /locks/{r}", LOCKERS, () -> {
          String r = "tok-lock-" + n.incrementAndGet();
          return Call.of("POST", "/locks/" + r, "{\"owner\": \"t\", \"ttlMs\": 60000}").state(() -> lock(r));
        }),
        new Case("GET /locks/{r}", EVERY_ROLE, () -> Call.of("GET", "/locks/" + acquired()[0], null)),
        new Case("POST lock extend", LOCKERS, () -> {
          String[] l = acquired();
          return Call.of("POST", "/locks/" + l[0] + "/" + l[1] + "/extend", "{\"extensionMs\": 120000}")
              .state(() -> lock(l[0]));
        }),
        new Case("DELETE lock", LOCKERS, () -> {
          String[] l = acquired();
          return Call.of("DELETE", "/locks/" + l[0] + "/" + l[1], null).state(() -> lock(l[0]));
        }),
        new Case("POST /workers/register", WORKERS, () -> {
          String w = "tok-w-" + n.incrementAndGet();
          return Call.of("POST", "/workers/register", "{\"workerId\": \"" + w + "\", \"jobTypes\": [\"tok-none\"]}")
              .state(() -> String.valueOf(admin.get("/workers/" + w + "/status").status()));
        }),
        new Case("POST heartbeat", WORKERS, () -> Call.of("POST", "/workers/" + worker("tok-none") + "/heartbeat",
            "{}")),
        new Case("POST poll", WORKERS, () -> Call.of("POST", "/workers/" + worker("tok-none") + "/poll",
            "{\"max\": 1, \"waitMs\": 0}")),
        new Case("POST progress", WORKERS, () -> {
          String[] a = attempt();
          return Call.of("POST", "/workers/" + a[0] + "/jobs/" + a[1] + "/progress", "{\"percent\": 50}")
              .state(() -> admin.get("/execute/" + a[2] + "/status").json().path("jobs").path("j")
                  .path("progress").asText());
        }),
        new Case("POST complete", WORKERS, () -> {
          String[] a = attempt();
          return Call.of("POST", "/workers/" + a[0] + "/jobs/" + a[1] + "/complete", "{\"success\": true}")
              .state(() -> status(a[2]));
        }),
        new Case("DELETE /workers/{id}", WORKERS, () -> {
          String w = worker("tok-none");
          return Call.of("DELETE", "/workers/" + w, null)
              .state(() -> admin.get("/workers/" + w + "/status").json().path("status").asText());
        }),
        new Case("GET /workers/{id}/status", READERS, () -> Call.of("GET", "/workers/" + worker("tok-none")
            + "/status", null)),
        new Case("POST to an endpoint nobody named", ADMINS, () -> Call.of("POST", "/no/such/endpoint", "{}"), 404));
  }

  @Test
  void everyRoleAgainstEveryEndpointClass() {
    List<String> wrong = new ArrayList<>();
    for (Case c : cases()) {
      for (Caller caller : Caller.values()) {
        Call call = c.call().get();
        String before = call.state() == null ? null : call.state().get();
        TestHttpClient.Answer a = new TestHttpClient(node.httpBase(), null)
            .send(call.method(), call.path(), call.body(), caller.token);
        String problem = check(c, caller, a);
        if (problem == null && !c.allowed().contains(caller) && call.state() != null
            && !call.state().get().equals(before)) {
          problem = "the refused call changed " + before + " to " + call.state().get();
        }
        if (problem != null) {
          wrong.add(c.what() + " as " + caller + ": " + problem + " (" + a.status() + " " + a.body() + ")");
        }
        call.after().run();
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers:\n" + String.join("\n", wrong));
  }

  /** Null when the answer is the one the table expects. */
  private static String check(Case c, Caller caller, TestHttpClient.Answer a) {
    if (c.allowed().contains(caller)) {
      boolean ok = c.ok() == 0 ? a.status() >= 200 && a.status() < 300 : a.status() == c.ok();
      return ok ? null : "expected " + (c.ok() == 0 ? "2xx" : c.ok());
    }
    if (caller == Caller.NONE || caller == Caller.UNKNOWN) {
      boolean challenged = a.header("WWW-Authenticate") != null && a.header("WWW-Authenticate").startsWith("Bearer");
      return a.status() == 401 && "UNAUTHORIZED".equals(a.errorCode()) && challenged ? null
          : "expected 401 UNAUTHORIZED with a Bearer challenge";
    }
    String roles = c.allowed().stream().filter(r -> r != Caller.NONE && r != Caller.UNKNOWN)
        .map(r -> r.name().toLowerCase()).sorted().toList().toString();
    JsonNode details = a.status() == 403 ? a.json().path("error").path("details") : null;
    if (a.status() != 403 || !"FORBIDDEN".equals(a.errorCode())
        || !details.path("role").asText().equals(caller.name().toLowerCase())
        || !sortedTexts(details.path("required")).equals(roles)
        || !a.json().path("error").path("message").asText().contains("needs a token of role")) {
      return "expected 403 FORBIDDEN naming role " + caller.name().toLowerCase() + " and the roles " + roles;
    }
    return null;
  }

  // ---- resources made for one call, by the admin token

  static final String STUCK_JOB = "{\"type\": \"noop\", \"requiredCapabilities\": [\"gpu\"]}";

  /** An execution whose job waits for a gpu worker that never comes: pending until someone acts on it. */
  static String stuck() {
    return admin.submitted("{\"workflowId\": \"tok\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", "
        + "\"requiredCapabilities\": [\"gpu\"]}]}");
  }

  static String paused() {
    String id = stuck();
    assertEquals(200, admin.post("/execute/" + id + "/pause", null).status());
    return id;
  }

  static String failed() {
    String id = admin.submitted("{\"workflowId\": \"tok\", \"jobs\": [{\"id\": \"a\", \"type\": \"fail\", "
        + "\"maxRetries\": 0}]}");
    assertEquals("failed", admin.awaitFinished(id).path("status").asText());
    return id;
  }

  static Call executionCall(String action, String id) {
    return Call.of("POST", "/execute/" + id + "/" + action, null).state(() -> status(id));
  }

  static String status(String executionId) {
    TestHttpClient.Answer a = admin.get("/execute/" + executionId + "/status");
    return a.status() == 200 ? a.json().path("status").asText() : "HTTP " + a.status();
  }

  static String queueJob(String body) {
    TestHttpClient.Answer a = admin.post("/queue/jobs", body);
    assertEquals(202, a.status(), a.body());
    return a.json().path("id").asText();
  }

  static Call queueJobCall(String action, String id) {
    return Call.of("POST", "/queue/jobs/" + id + "/" + action, null).state(() -> queueJobStatus(id));
  }

  static String queueJobStatus(String id) {
    return admin.get("/queue/jobs/" + id).json().path("status").asText();
  }

  static String queuePaused() {
    return admin.get("/queue/stats").json().path("paused").asText();
  }

  /** A lock held for a minute: {resource, lockId}. */
  static String[] acquired() {
    String r = "tok-lock-" + n.incrementAndGet();
    TestHttpClient.Answer a = admin.post("/locks/" + r, "{\"owner\": \"t\", \"ttlMs\": 60000}");
    assertEquals(200, a.status(), a.body());
    return new String[] {r, a.json().path("lockId").asText()};
  }

  static String lock(String resource) {
    TestHttpClient.Answer a = admin.get("/locks/" + resource);
    return a.status() == 200 ? a.json().path("lockId").asText() + "@" + a.json().path("expiresAt").asText()
        : "HTTP " + a.status();
  }

  static String worker(String jobType) {
    TestHttpClient.Answer a = admin.post("/workers/register", "{\"workerId\": \"tok-w-" + n.incrementAndGet()
        + "\", \"jobTypes\": [\"" + jobType + "\"]}");
    assertEquals(201, a.status(), a.body());
    return a.json().path("workerId").asText();
  }

  /** An attempt handed to a worker of its own job type: {workerId, attemptId, executionId}. */
  static String[] attempt() {
    String type = "tok-job-" + n.incrementAndGet();
    String w = worker(type);
    String id = admin.submitted("{\"workflowId\": \"tok\", \"jobs\": [{\"id\": \"j\", \"type\": \"" + type + "\"}]}");
    TestHttpClient.Answer polled = admin.post("/workers/" + w + "/poll", "{\"max\": 1, \"waitMs\": 10000}");
    assertEquals(1, polled.json().size(), polled.body());
    return new String[] {w, polled.json().get(0).path("attemptId").asText(), id};
  }

  private static String sortedTexts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out.stream().sorted().toList().toString();
  }

  private static Path tokensFile() {
    try {
      Path file = Files.createTempFile("gantry-tokens", ".txt");
      file.toFile().deleteOnExit();
      Files.writeString(file, "# mounted secrets\n\ngrafana:read:" + READ + "\n  py-worker:worker:" + WORKER + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
