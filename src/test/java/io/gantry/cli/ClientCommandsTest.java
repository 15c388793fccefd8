package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ClientCommandsTest {
  private static final String DAG = """
      {"workflowId":"wf","jobs":[{"id":"a","type":"noop"},{"id":"b","type":"noop","dependsOn":["a"]}]}""";
  private static final String ACCEPTED = """
      {"executionId":"e1","workflowId":"wf","status":"pending","statusUrl":"/execute/e1/status"}""";
  private static final String RUNNING = """
      {"executionId":"e1","workflowId":"wf","status":"running","startedAt":1700000000000,
       "jobs":{"a":{"status":"running","attempts":1,"workerId":"w1","startedAt":1700000000000},
               "b":{"status":"waiting","attempts":0}},"jobResults":{}}""";
  private static final String COMPLETED = """
      {"executionId":"e1","workflowId":"wf","status":"completed","startedAt":1700000000000,
       "completedAt":1700000002500,
       "jobs":{"a":{"status":"completed","attempts":1,"workerId":"w1"},
               "b":{"status":"completed","attempts":1,"workerId":"w1"}},
       "jobResults":{"a":{"jobId":"a","success":true,"output":{"accuracy":0.91}},
                     "b":{"jobId":"b","success":true,"output":{"best":"a"}}}}""";
  private static final String FAILED = """
      {"executionId":"e1","workflowId":"wf","status":"failed","startedAt":1700000000000,
       "completedAt":1700000001000,
       "jobs":{"a":{"status":"failed","attempts":4,"error":"exit code 3"},"b":{"status":"skipped","attempts":0}},
       "jobResults":{"a":{"jobId":"a","success":false,"error":"exit code 3"}}}""";

  @TempDir
  Path dir;
  @RegisterExtension
  final FakeGantry gantry = new FakeGantry();

  private Path dagFile(String content) throws IOException {
    return Files.writeString(dir.resolve("dag.json"), content);
  }

  @Test
  void submitWaitFollowsTheEventStreamAndExitsZeroWhenTheExecutionCompleted() throws IOException {
    gantry.on("POST /execute/distributed", 202, ACCEPTED).on("GET /execute/e1/status", 200, RUNNING, COMPLETED)
        .on("GET /execute/e1/events", 200, FakeEvents.sse(
            FakeEvents.job("job-queued", 1, "a", 1700000000000L, "\"attempt\":1"),
            FakeEvents.job("job-started", 2, "a", 1700000000000L, "\"workerId\":\"w1\""),
            FakeEvents.job("job-completed", 3, "a", 1700000001000L, "\"logs\":\"\""),
            FakeEvents.job("job-queued", 4, "b", 1700000001000L, "\"attempt\":1"),
            FakeEvents.job("job-started", 5, "b", 1700000001000L, "\"workerId\":\"w1\""),
            FakeEvents.job("job-completed", 6, "b", 1700000002500L, "\"logs\":\"\""),
            FakeEvents.execution("execution-completed", 7, 1700000002500L)));

    CliRun r = gantry.run("submit", dagFile(DAG).toString(), "--wait");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("wf completed [####################] 2/2 done, 0 running, 0 failed  2.5s"), r.err());
    assertTrue(r.out().contains("status completed"), r.out());
    assertTrue(r.out().contains("{\"accuracy\":0.91}"), r.out());
    assertEquals(ApiClient.MAPPER.readTree(DAG), ApiClient.MAPPER.readTree(gantry.requests.get(0).body()));
    assertEquals(List.of("POST /execute/distributed", "GET /execute/e1/status", "GET /execute/e1/events",
        "GET /execute/e1/status"), gantry.requests.stream().map(q -> q.method() + " " + q.uri()).toList(),
        "one status read for the job ids, the stream, one for the outcome: no polling");
  }

  @Test
  void onATerminalTheProgressLineIsRedrawnInPlaceAndEndsWithANewline() {
    gantry.on("GET /execute/e1/status", 200, RUNNING, COMPLETED).on("GET /execute/e1/events", 200, FakeEvents.sse(
        FakeEvents.job("job-queued", 1, "a", 1700000000000L, "\"attempt\":1"),
        FakeEvents.job("job-completed", 2, "a", 1700000001000L, "\"logs\":\"\""),
        FakeEvents.job("job-completed", 3, "b", 1700000002500L, "\"logs\":\"\""),
        FakeEvents.execution("execution-completed", 4, 1700000002500L)));
    ClientOptions options = new ClientOptions();
    options.server = gantry.url();
    StringWriter err = new StringWriter();

    ApiClient.Answer last = new ExecutionWatcher(new ApiClient(options), new PrintWriter(err, true), true).await("e1");

    assertEquals(COMPLETED, last.body());
    String shown = err.toString();
    assertTrue(shown.startsWith("\r"), shown);
    assertTrue(shown.endsWith("\r" + "wf completed [####################] 2/2 done, 0 running, 0 failed  2.5s\u001b[K"
        + System.lineSeparator()), shown);
    assertEquals(1, shown.chars().filter(c -> c == '\n').count(), "one line, redrawn: " + shown);
  }

  @Test
  void submitWaitExitsOneWhenTheExecutionFailed() throws IOException {
    gantry.on("POST /execute/distributed", 202, ACCEPTED).on("GET /execute/e1/status", 200, RUNNING, FAILED)
        .on("GET /execute/e1/events", 200, FakeEvents.sse(
            FakeEvents.job("job-queued", 1, "a", 1700000000000L, "\"attempt\":1"),
            FakeEvents.job("job-failed", 2, "a", 1700000001000L, "\"error\":\"exit code 3\""),
            FakeEvents.job("job-skipped", 3, "b", 1700000001000L, "\"becauseOf\":\"a\""),
            FakeEvents.execution("execution-failed", 4, 1700000001000L)));

    CliRun r = gantry.run("submit", dagFile(DAG).toString(), "--wait");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("wf failed [####################] 0/2 done, 0 running, 1 failed, 1 skipped"),
        r.err());
    assertTrue(r.out().contains("error: exit code 3"), r.out());
    assertTrue(r.out().contains("skipped"), r.out());
  }

  @Test
  void submitWithoutWaitPrintsTheExecutionId() throws IOException {
    gantry.on("POST /execute/distributed", 202, ACCEPTED);

    CliRun r = gantry.run("submit", dagFile(DAG).toString());

    assertEquals(0, r.exitCode());
    assertEquals("submitted execution e1 (workflow wf, pending)", r.out().strip());
  }

  @Test
  void submitWithAnIdSetsTheExecutionId() throws IOException {
    gantry.on("POST /execute/distributed", 202, ACCEPTED);

    assertEquals(0, gantry.run("submit", dagFile(DAG).toString(), "--id", "my-run-1").exitCode());
    assertEquals("my-run-1", ApiClient.MAPPER.readTree(gantry.requests.get(0).body()).path("executionId").asText());
  }

  @Test
  void submitJsonPrintsTheRawAnswer() throws IOException {
    gantry.on("POST /execute/distributed", 202, ACCEPTED);

    CliRun r = gantry.run("submit", dagFile(DAG).toString(), "--json");

    assertEquals(ACCEPTED, r.out().strip());
  }

  @Test
  void badFilesAreBadInput() throws IOException {
    CliRun missing = gantry.run("submit", dir.resolve("nope.json").toString());
    CliRun malformed = gantry.run("submit", dagFile("{\"workflowId\": ").toString());

    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("no such file"), missing.err());
    assertEquals(2, malformed.exitCode());
    assertTrue(malformed.err().contains("is not valid JSON (line 1"), malformed.err());
    assertTrue(gantry.requests.isEmpty());
  }

  @Test
  void aRejectedDocumentIsBadInputWithTheApiMessage() throws IOException {
    gantry.on("POST /execute/distributed", 400, """
        {"error":{"code":"INVALID_DAG","message":"cycle: a -> b -> a","details":["job a: dependsOn b"]}}""");

    CliRun r = gantry.run("submit", dagFile(DAG).toString());

    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("INVALID_DAG: cycle: a -> b -> a"), r.err());
    assertTrue(r.err().contains("- job a: dependsOn b"), r.err());
  }

  @Test
  void statusShowsAJobTableOrTheRawJson() {
    gantry.on("GET /execute/e1/status", 200, COMPLETED);

    CliRun table = gantry.run("status", "e1");
    CliRun json = gantry.run("status", "e1", "--json");

    assertEquals(0, table.exitCode());
    assertTrue(table.out().matches("(?s).*JOB\\s+STATUS\\s+ATTEMPTS\\s+WORKER\\s+DURATION\\s+RESULT.*"), table.out());
    assertTrue(table.out().contains("took 2.5s"), table.out());
    assertEquals(COMPLETED, json.out().strip());
  }

  @Test
  void unknownExecutionIsAFailureNamingIt() {
    CliRun r = gantry.run("status", "nope");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("execution nope not found"), r.err());
  }

  @Test
  void aConflictIsAFailure() {
    gantry.on("POST /execute/e1/pause", 409, """
        {"error":{"code":"INVALID_TRANSITION","message":"execution e1 is completed","details":[]}}""");

    CliRun r = gantry.run("pause", "e1");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("INVALID_TRANSITION: execution e1 is completed"), r.err());
  }

  @Test
  void actionsPostAndShowTheNewStatus() {
    gantry.on("POST /execute/e1/cancel", 200, FAILED.replace("\"failed\",\"startedAt\"", "\"cancelled\",\"startedAt\""));

    CliRun r = gantry.run("cancel", "e1");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals("execution e1: cancelled", r.out().strip());
  }

  @Test
  void listPassesFiltersAndPrintsATable() {
    gantry.on("GET /execute?workflowId=wf&status=failed&limit=5", 200, """
        {"items":[{"executionId":"e1","workflowId":"wf","status":"failed","createdAt":1700000000000,
                   "completedAt":1700000060000}],"nextCursor":"c2"}""");

    CliRun r = gantry.run("list", "--workflow", "wf", "--status", "failed", "--limit", "5");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("e1") && r.out().contains("1m00s"), r.out());
    assertTrue(r.err().contains("gantry list --cursor c2"), r.err());
  }

  @Test
  void theTokenIsSentAsBearer() {
    gantry.on("GET /workers/list", 200, """
        [{"workerId":"w1","kind":"http","status":"idle","currentLoad":0,"maxConcurrency":4,
          "capabilities":["cpu","gpu"],"hostname":"box"}]""");

    CliRun r = gantry.run("workers", "--token", "s3cret");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("w1") && r.out().contains("0/4") && r.out().contains("cpu,gpu"), r.out());
    assertEquals("Bearer s3cret", gantry.requests.get(0).authorization());
  }

  @Test
  void unauthorizedIsBadInput() {
    gantry.on("GET /queue/stats", 401, """
        {"error":{"code":"UNAUTHORIZED","message":"missing or wrong bearer token","details":[]}}""");

    assertEquals(2, gantry.run("queue").exitCode());
  }

  @Test
  void queueCommands() {
    gantry.on("GET /queue/stats", 200, """
        {"waiting":1,"queued":3,"active":2,"delayed":0,"completed":9,"failed":1,"cancelled":0,"paused":false,
         "workers":2,"utilization":0.5,"backlog":{"gpu":{"queued":3,"oldestQueuedAgeMs":42000}}}""")
        .on("POST /queue/drain", 200, "{\"removed\":3}")
        .on("POST /queue/clean", 200, "{\"removed\":7}");

    CliRun stats = gantry.run("queue", "stats");
    CliRun drain = gantry.run("queue", "drain", "--delayed");
    CliRun clean = gantry.run("queue", "clean", "--grace-ms", "1000", "--limit", "10", "--type", "failed");

    assertTrue(stats.out().contains("utilization 50%") && stats.out().contains("42.0s"), stats.out());
    assertEquals("cancelled 3 jobs", drain.out().strip());
    assertEquals("forgot 7 executions", clean.out().strip());
    assertEquals("{\"delayed\":true}", gantry.requests.get(1).body());
    assertEquals("{\"graceMs\":1000,\"limit\":10,\"type\":\"failed\"}", gantry.requests.get(2).body());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, gantry.run("queue", "explode").exitCode());
    assertEquals(2, gantry.run("queue", "stats", "--delayed").exitCode());
    assertEquals(2, gantry.run("queue", "clean", "--type", "weird").exitCode());
    assertEquals(2, gantry.run("status").exitCode());
    assertEquals(2, gantry.run("frobnicate").exitCode());
    assertEquals(2, CliRun.of().exitCode());
    assertTrue(gantry.requests.isEmpty());
  }

  @Test
  void anUnreachableServerIsAFailureWithAHint() throws IOException {
    int port = TestNode.freePort();

    CliRun r = CliRun.of("status", "e1", "--server", "http://127.0.0.1:" + port);

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("cannot reach Gantry at http://127.0.0.1:" + port), r.err());
    assertTrue(r.err().contains("start one with bin/gantry node"), r.err());
  }
}
