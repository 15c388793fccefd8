package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code why}, {@code events} and table fitting against canned answers: the reasons a real node rarely shows on
 * demand (backoff, concurrency key, rate limit, a paused queue, full capacity, a detail that names its required
 * capabilities), and an event stream that breaks before its final event.
 */
class ExplainCommandsTest {
  private static final String WORKERS = """
      [{"workerId":"gpu-box","kind":"http","pool":"default","status":"busy","capabilities":["cpu","gpu"],
        "jobTypes":[],"currentLoad":2,"maxConcurrency":2,"metadata":{"cpuCores":8,"memoryGB":8.0,"gpuCount":1}},
       {"workerId":"cpu-box","kind":"cluster","pool":"default","status":"idle","capabilities":["cpu"],
        "jobTypes":[],"currentLoad":0,"maxConcurrency":4,"metadata":{"cpuCores":4,"memoryGB":64.0,"gpuCount":0}},
       {"workerId":"elsewhere","kind":"http","pool":"batch","status":"idle","capabilities":["cpu","gpu"],
        "jobTypes":[],"currentLoad":0,"maxConcurrency":1}]""";

  @RegisterExtension
  final FakeGantry gantry = new FakeGantry();

  private static String detail(String status, String blockedBy, String more) {
    return """
        {"executionId":"e1","jobId":"train","type":"shell","status":"%s","priority":5,"dependsOn":[],"attempts":2,
         "maxRetries":3,"blockedBy":%s,"pool":"default","attemptHistory":[
           {"attemptId":"e1:train:1","number":1,"workerId":"w1","startedAt":1700000000000,"endedAt":1700000001000,
            "outcome":"failed","error":"exit code 3"}]%s}"""
        .formatted(status, blockedBy == null ? "null" : "\"" + blockedBy + "\"", more);
  }

  /** On a server of its own: canned answers repeat, so one server answers one detail. */
  private static CliRun why(String status, String blockedBy, String more) {
    try (FakeGantry server = new FakeGantry()) {
      server.on("GET /execute/e1/jobs/train", 200, detail(status, blockedBy, more))
          .on("GET /workers/list", 200, WORKERS);
      return server.run("why", "e1", "train");
    }
  }

  @Test
  void backoffSaysWhichAttemptFailedAndWhenTheNextOneIs() {
    long next = System.currentTimeMillis() + 60_000;
    CliRun r = why("retrying", "backoff", ",\"error\":\"exit code 3\",\"nextAttemptAt\":" + next);

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("waits to be retried after attempt 2 failed: exit code 3"), r.out());
    assertTrue(r.out().contains("next attempt (3 of 4) at " + Times.at(next) + " (in "), r.out());
    assertTrue(r.out().matches("(?s).*ATTEMPT\\s+WORKER\\s+STARTED\\s+DURATION\\s+OUTCOME\\s+ERROR\\n1\\s+w1\\s+.*"
        + "1\\.0s\\s+failed\\s+exit code 3.*"), r.out());
  }

  @Test
  void theOtherReasonsInWords() {
    assertTrue(why("queued", "queue-paused", "").out().contains("the queue is paused cluster-wide; dispatch again: "
        + "gantry queue resume"));
    assertTrue(why("queued", "concurrency-key", ",\"concurrencyKey\":\"registry\"").out()
        .contains("another job with the same concurrencyKey (registry) is running"));
    assertTrue(why("queued", "rate-limit", "").out().contains("rate limit (gantry.queue.rate-limit)"));
    assertTrue(why("queued", "something-new", "").out().contains("waits: something-new"));
  }

  @Test
  void capacityFullShowsTheLoadOfTheWorkersThatCouldRunIt() {
    CliRun r = why("queued", "capacity-full", ",\"requiredCapabilities\":[\"gpu\"],\"queuedAt\":1700000000000");

    assertTrue(r.out().contains("waits for a free slot: the workers of pool default that can run it are all busy"),
        r.out());
    assertTrue(r.out().contains("load: gpu-box 2/2\n"), "only the gpu worker of the job's pool: " + r.out());
  }

  @Test
  void noCapableWorkerNamesWhatEachWorkerOfThePoolLacksWhenTheDetailSaysWhatTheJobNeeds() {
    CliRun r = why("queued", "no-capable-worker",
        ",\"requiredCapabilities\":[\"gpu\"],\"requirements\":{\"minMemoryGB\":32,\"requireGpu\":true}");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("none takes jobs of type shell with capabilities gpu and requirements"), r.out());
    assertTrue(r.out().contains("worker gpu-box (busy) lacks memory >= 32 GB (it has 8.0)"), r.out());
    assertTrue(r.out().contains("worker cpu-box (idle) lacks capabilities gpu (it has cpu), a GPU"), r.out());
    assertTrue(!r.out().contains("elsewhere"), "another pool's worker is not a candidate: " + r.out());
  }

  @Test
  void aFailedJobSaysSoWithItsError() {
    CliRun r = why("failed", null, ",\"error\":\"exit code 3\"");

    assertTrue(r.out().contains("failed for good after 2 attempts: exit code 3; the jobs that depend on it are "
        + "skipped (gantry retry e1)"), r.out());
  }

  @Test
  void eventsFollowAStreamThatBreaksAndPrintEachEventOnce() {
    String first = FakeEvents.sse(
        FakeEvents.job("job-queued", 1, "a", 1700000000000L, "\"attempt\":1"),
        FakeEvents.job("job-queued", 1, "b", 1700000000000L, "\"attempt\":1"));
    String replayed = FakeEvents.sse(
        FakeEvents.job("job-queued", 1, "a", 1700000000000L, "\"attempt\":1"),
        FakeEvents.job("job-queued", 1, "b", 1700000000000L, "\"attempt\":1"),
        FakeEvents.job("job-started", 2, "a", 1700000000100L, "\"workerId\":\"w1\""),
        FakeEvents.job("job-retrying", 3, "a", 1700000000200L,
            "\"error\":\"exit code 2\",\"timedOut\":false,\"retryAt\":1700000005000"),
        FakeEvents.execution("execution-cancelled", 4, 1700000000300L));
    gantry.on("GET /execute/e1/events", 200, first, replayed);

    CliRun r = gantry.run("events", "e1");

    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(5, lines.size(), r.out());
    assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  job-queued\\s+a\\s+attempt 1"), lines.get(0));
    assertTrue(lines.get(1).matches("\\S+  job-queued\\s+b\\s+attempt 1"), lines.get(1));
    assertTrue(lines.get(3).matches("\\S+  job-retrying\\s+a\\s+error: exit code 2, next attempt at "
        + Times.at(1700000005000L)), lines.get(3));
    assertTrue(lines.get(4).contains("execution-cancelled"), lines.get(4));
    assertEquals(2, gantry.requests.size(), "opened again once");
    assertTrue(r.err().contains("the event stream of execution e1 broke (the stream ended before the execution's "
        + "final event); opening it again"), r.err());
  }

  @Test
  void eventsOfAnUnknownExecutionFailLikeStatus() {
    CliRun r = gantry.run("events", "nope");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("execution nope not found"), r.err());
  }

  @Test
  void tablesFitTheWidthGivenAndCutWithAnEllipsis() {
    Table t = new Table("WORKER", "STATUS", "CAPABILITIES").row("a-very-long-worker-identifier", "idle",
        "cpu,gpu,high-memory,ssd,network");

    List<String> narrow = t.render(40).lines().toList();
    List<String> unbounded = t.render(0).lines().toList();

    narrow.forEach(l -> assertTrue(l.length() <= 40, l));
    assertTrue(narrow.get(0).matches("WORKER\\s+STATUS\\s+CAPABILITIES"), "headers kept: " + narrow.get(0));
    assertTrue(narrow.get(1).matches("a-very-long-\\S*\\.\\.\\.\\s+idle\\s+cpu,gpu,\\S*\\.\\.\\."), narrow.get(1));
    assertEquals("a-very-long-worker-identifier  idle    cpu,gpu,high-memory,ssd,network", unbounded.get(1));
    String tiny = t.render(12);
    assertEquals(2, tiny.lines().count(), "even too narrow a width gives one line per row: " + tiny);
  }
}
