package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code why}, {@code logs --follow}, {@code events} and {@code submit --wait} against a real node (api, orchestrator
 * and worker roles, the test Redis), driven through the CLI's command line as a user types it.
 */
class CliExplainsTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().build();
  static final String server = node.httpBase();
  static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    Await.until(() -> CliRun.of("workers", "--server", server, "--json").out(), o -> o.contains("\"cluster\""),
        Duration.ofSeconds(20), "the node's worker to register");
  }

  static CliRun cli(String... args) {
    return cli(new StringWriter(), args);
  }

  static CliRun cli(StringWriter out, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--server";
    all[args.length + 1] = server;
    return CliRun.watched(out, all);
  }

  static String submit(String dag) {
    TestHttpClient.Answer a = node.http().post("/execute/distributed", dag);
    assertEquals(202, a.status(), a.body());
    return a.json().get("executionId").asText();
  }

  static String jobStatus(String executionId, String jobId) {
    return node.http().get("/execute/" + executionId + "/status").json().path("jobs").path(jobId).path("status")
        .asText();
  }

  @Test
  void whyNamesTheUnfinishedDependencyAndItsStatus() {
    String id = submit("""
        {"workflowId": "why-deps", "jobs": [
          {"id": "slow", "type": "sleep", "config": {"ms": 4000}},
          {"id": "quick", "type": "noop"},
          {"id": "last", "type": "noop", "dependsOn": ["slow", "quick"]}]}""");
    Await.until(() -> jobStatus(id, "quick") + jobStatus(id, "slow"), s -> s.equals("completedrunning"), WITHIN,
        "quick to complete while slow runs");

    CliRun why = cli("why", id, "last");

    assertEquals(0, why.exitCode(), why.err());
    assertTrue(why.out().contains("job last (noop) of execution " + id + ": waiting"), why.out());
    assertTrue(why.out().contains("waits for 1 of its 2 dependencies to complete: slow (running)"), why.out());
    assertTrue(why.out().contains("gantry why " + id + " slow"), why.out());
    CliRun running = cli("why", id, "slow");
    assertTrue(running.out().matches("(?s).*running on worker \\S+ since .*attempt 1 of 4.*"), running.out());
    CliRun json = cli("why", id, "last", "--json");
    assertEquals("dependencies", TestHttpClient.JSON.valueToTree(parse(json.out())).path("blockedBy").asText());
  }

  @Test
  void whySaysTheExecutionIsPausedAndHowToResumeIt() {
    String id = submit("""
        {"workflowId": "why-paused", "jobs": [
          {"id": "first", "type": "sleep", "config": {"ms": 1500}},
          {"id": "second", "type": "noop", "dependsOn": ["first"]}]}""");
    assertEquals(0, cli("pause", id).exitCode());
    Await.until(() -> jobStatus(id, "first"), s -> s.equals("completed"), WITHIN, "the running job to finish");

    CliRun why = cli("why", id, "second");

    assertEquals(0, why.exitCode(), why.err());
    assertTrue(why.out().contains("waits because execution " + id + " is paused; resume it: gantry resume " + id),
        why.out());
    assertEquals(0, cli("resume", id).exitCode());
    Await.until(() -> jobStatus(id, "second"), s -> s.equals("completed"), WITHIN, "the resumed execution to end");
    assertTrue(cli("why", id, "second").out().matches("(?s).*completed on worker \\S+ at .* after 1 attempt.*"));
  }

  @Test
  void whyNamesTheMissingCapabilityAndTheWorkersThereAre() {
    String id = submit("""
        {"workflowId": "why-gpu", "jobs": [{"id": "train", "type": "noop", "requiredCapabilities": ["gpu"]}]}""");
    Await.until(() -> node.http().get("/execute/" + id + "/jobs/train").json().path("blockedBy").asText(),
        b -> b.equals("no-capable-worker"), WITHIN, "the registry to find no capable worker");

    CliRun why = cli("why", id, "train");

    assertEquals(0, why.exitCode(), why.err());
    assertTrue(why.out().contains("waits because no live worker of pool default can run it: none takes jobs of type "
        + "noop with"), why.out());
    // The job detail of the HTTP API does not give the job's requiredCapabilities: the workers' are shown instead.
    assertTrue(why.out().matches("(?s).*\\n  worker \\S+ \\((idle|active|busy)\\) has capabilities .*"), why.out());
    assertEquals(0, cli("cancel", id).exitCode());
  }

  @Test
  void whyOfAnUnknownJobOrABadIdFails() {
    String id = submit("""
        {"workflowId": "why-unknown", "jobs": [{"id": "a", "type": "noop"}]}""");
    CliRun unknown = cli("why", id, "nope");
    CliRun bad = cli("why", id, "no spaces here");
    CliRun missing = cli("why", "no-such-execution", "a");

    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().contains("nope"), unknown.err());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("'no spaces here' is not a job id"), bad.err());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("no-such-execution"), missing.err());
  }

  @Test
  void logsFollowPrintsEveryLineOfEveryAttemptOnceAndEndsWithTheJob(@TempDir Path dir) throws Exception {
    // Attempt 1 prints three lines over a second and fails; attempt 2 prints three more and succeeds, but waits
    // after its first line until the test has seen that line printed (live, while the attempt runs). A job after
    // it keeps the execution running: following the job ends with the job, not with the execution.
    Path go = dir.resolve("go");
    String script = "case \"$GANTRY_ATTEMPT_ID\" in *:1) n=1;; *) n=2;; esac; "
        + "echo '::progress {\"percent\":50,\"message\":\"halfway\"}'; "
        + "for i in 1 2 3; do echo \"attempt-$n line-$i\"; sleep 0.3; "
        + "if [ $n = 2 ]; then w=0; while [ ! -e '" + go + "' ] && [ $w -lt 600 ]; do sleep 0.1; w=$((w+1)); done; fi; "
        + "done; [ $n = 2 ]";
    String dag = TestHttpClient.JSON.createObjectNode().put("workflowId", "logs-follow")
        .set("jobs", TestHttpClient.JSON.readTree("""
            [{"id": "talk", "type": "shell", "maxRetries": 2, "backoff": {"initialMs": 300},
              "config": {"command": ["sh", "-c", "SCRIPT"]}},
             {"id": "after", "type": "sleep", "dependsOn": ["talk"], "config": {"ms": 5000}}]"""
            .replace("SCRIPT", script.replace("\\", "\\\\").replace("\"", "\\\"")))).toString();
    String id = submit(dag);

    StringWriter printing = new StringWriter();
    CompletableFuture<CliRun> follow =
        CompletableFuture.supplyAsync(() -> cli(printing, "logs", id, "talk", "--follow"));
    Await.until(printing::toString, o -> o.contains("attempt-2 line-1"), WITHIN, "attempt 2's first line, live");
    assertFalse(printing.toString().contains("attempt-2 line-2"), printing.toString());
    assertEquals("running", jobStatus(id, "talk"), "the line was printed while its attempt runs");
    Files.createFile(go);
    CliRun run = follow.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().filter(l -> l.startsWith("attempt-")).toList();
    assertEquals(List.of("attempt-1 line-1", "attempt-1 line-2", "attempt-1 line-3",
        "attempt-2 line-1", "attempt-2 line-2", "attempt-2 line-3"), lines, run.out());
    assertTrue(run.err().contains("== attempt 1 started on "), run.err());
    assertTrue(run.err().contains("== attempt 1 ended, to be retried: error: exit code 1"), run.err());
    assertTrue(run.err().contains("progress: 50%, halfway"), run.err());
    assertTrue(run.err().contains("== attempt 2 completed"), run.err());
    assertEquals("completed", jobStatus(id, "talk"));
    assertFalse(node.http().get("/execute/" + id + "/status").json().path("status").asText().equals("completed"),
        "it ended with its job, before the execution");

    CliRun tail = cli("logs", id, "talk");
    assertEquals(List.of("attempt-2 line-1", "attempt-2 line-2", "attempt-2 line-3"),
        tail.out().lines().filter(l -> l.startsWith("attempt-")).toList(), tail.out());
    assertTrue(tail.err().matches("== job talk \\(completed\\), attempt 2 on \\S+: completed ==\\s*"), tail.err());
    assertEquals(0, cli("cancel", id).exitCode());
  }

  @Test
  void eventsPrintTheDiamondLiveAndEndWithExecutionCompleted() throws Exception {
    String id = submit("""
        {"workflowId": "events-diamond", "jobs": [
          {"id": "a", "type": "sleep", "config": {"ms": 300}},
          {"id": "b", "type": "noop", "dependsOn": ["a"]},
          {"id": "c", "type": "noop", "dependsOn": ["a"]},
          {"id": "d", "type": "noop", "dependsOn": ["b", "c"]}]}""");

    CliRun events = cli("events", id);

    assertEquals(0, events.exitCode(), events.err());
    List<String> lines = events.out().lines().toList();
    assertTrue(lines.get(lines.size() - 1).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  execution-completed .*"),
        events.out());
    for (String job : List.of("a", "b", "c", "d")) {
      assertEquals(1, lines.stream().filter(l -> l.matches("\\S+  job-completed\\s+" + job + "\\s+took .*")).count(),
          events.out());
      assertEquals(1, lines.stream().filter(l -> l.matches("\\S+  job-started\\s+" + job + "\\s+on \\S+")).count(),
          events.out());
    }
    int startedD = indexOf(lines, "job-started\\s+d\\b");
    assertTrue(indexOf(lines, "job-completed\\s+b\\b") < startedD && indexOf(lines, "job-completed\\s+c\\b") < startedD,
        events.out());

    CliRun json = cli("events", id, "--json");
    List<JsonNode> parsed = json.out().lines().map(CliExplainsTest::parse).toList();
    assertEquals(lines.size(), parsed.size(), json.out());
    assertEquals("execution-completed", parsed.get(parsed.size() - 1).path("type").asText());
    assertEquals(id, parsed.get(0).path("executionId").asText());
    assertTrue(parsed.get(0).path("data").has("time"), json.out());
  }

  @Test
  void submitWaitFollowsTheStreamAndExitsByTheFinalStatus() throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.json"), """
        {"workflowId": "wait-ok", "jobs": [
          {"id": "a", "type": "sleep", "config": {"ms": 3000}},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
    Path bad = Files.writeString(dir.resolve("bad.json"), """
        {"workflowId": "wait-bad", "jobs": [
          {"id": "a", "type": "fail", "maxRetries": 0},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");

    CliRun completed = cli("submit", ok.toString(), "--wait");
    CliRun failed = cli("submit", bad.toString(), "--wait");

    assertEquals(0, completed.exitCode(), completed.err());
    assertTrue(completed.err().contains("wait-ok running [----------"), "a live line while a runs: " + completed.err());
    assertTrue(completed.err().contains("wait-ok completed [####################] 2/2 done"), completed.err());
    assertEquals(1, failed.exitCode(), failed.err());
    assertTrue(failed.err().contains("wait-bad failed [####################] 0/2 done, 0 running, 1 failed, "
        + "1 skipped"), failed.err());
  }

  @Test
  void aTableFitsANarrowColumnsThroughTheProgramsMain() throws Exception {
    String id = submit("""
        {"workflowId": "a-workflow-with-a-rather-long-name", "jobs": [
          {"id": "a-job-with-a-long-identifier", "type": "noop",
           "config": {"output": {"message": "an output far too wide for seventy columns of a terminal window"}}}]}""");
    Await.until(() -> jobStatus(id, "a-job-with-a-long-identifier"), s -> s.equals("completed"), WITHIN, "the job");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.gantry.main.Main",
        "status", id, "--server", server).redirectErrorStream(true);
    pb.environment().put("COLUMNS", "70");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));

    assertEquals(0, p.exitValue(), out);
    List<String> table = out.lines().dropWhile(l -> !l.startsWith("JOB")).toList();
    assertEquals(2, table.size(), out);
    table.forEach(l -> assertTrue(l.length() <= 70, "wider than COLUMNS=70: '" + l + "'"));
    assertTrue(table.get(1).startsWith("a-job") && table.get(1).contains("completed"), out);
    assertTrue(table.get(1).endsWith("..."), "the output column is cut: " + out);
    CliRun wide = cli("status", id);
    assertTrue(wide.out().contains("an output far too wide for seventy columns"), wide.out());
  }

  private static int indexOf(List<String> lines, String regex) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
    for (int i = 0; i < lines.size(); i++) {
      if (p.matcher(lines.get(i)).find()) {
        return i;
      }
    }
    throw new AssertionError("no line matches " + regex + " in " + lines);
  }

  private static JsonNode parse(String json) {
    try {
      return TestHttpClient.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
