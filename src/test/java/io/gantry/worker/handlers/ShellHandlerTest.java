package io.gantry.worker.handlers;

import static io.gantry.worker.handlers.TestJobContext.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.worker.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellHandlerTest {

  @TempDir Path workDirRoot;

  private ShellHandler handler() {
    return new ShellHandler(workDirRoot, 4096, MAPPER);
  }

  /** A shell job config running {@code sh -c script}. */
  private static ObjectNode script(String script) {
    ObjectNode config = MAPPER.createObjectNode();
    config.putArray("command").add("sh").add("-c").add(script);
    return config;
  }

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void theOutputFileIsTheOutputAndTheScratchDirectoryIsRemoved() throws Exception {
    JobOutcome outcome = handler().run(new TestJobContext(script("echo '{\"rows\": 3}' > \"$GANTRY_OUTPUT\"")));
    assertTrue(outcome.success(), outcome::toString);
    assertEquals(json("{\"rows\":3}"), outcome.output());
    try (var left = Files.list(workDirRoot)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void withoutAnOutputFileTheOutputIsTheExitCode() throws Exception {
    JobOutcome outcome = handler().run(new TestJobContext(script("echo hello")));
    assertTrue(outcome.success());
    assertEquals(json("{\"exitCode\":0}"), outcome.output());
    assertEquals("hello\n", outcome.logs());
  }

  @Test
  void theInputFileHoldsEverythingTheJobNeeds() throws Exception {
    ObjectNode config = script("cat \"$GANTRY_INPUT\" > \"$GANTRY_OUTPUT\"");
    TestJobContext context = new TestJobContext(config)
        .attempt(2)
        .lastCheckpoint(json("{\"epoch\":7}"))
        .dependencyOutput("prep", json("{\"path\":\"/data\"}"));
    JobOutcome outcome = handler().run(context);
    ObjectNode expected = MAPPER.createObjectNode();
    expected.set("config", config);
    expected.set("dependencyOutputs", json("{\"prep\":{\"path\":\"/data\"}}"));
    expected.put("attempt", 2);
    expected.set("lastCheckpoint", json("{\"epoch\":7}"));
    expected.put("jobId", "job-1").put("executionId", "exec-1").put("attemptId", "att-2");
    assertEquals(expected, outcome.output());
  }

  @Test
  void envAndGantryVariablesAreSetAndTheUsersWorkingDirIsKept(@TempDir Path userDir) throws Exception {
    ObjectNode config = script(
        "printf '{\"greeting\":\"%s\",\"job\":\"%s\",\"execution\":\"%s\",\"attempt\":\"%s\",\"cwd\":\"%s\"}' "
            + "\"$GREETING\" \"$GANTRY_JOB_ID\" \"$GANTRY_EXECUTION_ID\" \"$GANTRY_ATTEMPT_ID\" \"$(pwd -P)\" > \"$GANTRY_OUTPUT\";"
            + " touch made-here");
    config.putObject("env").put("GREETING", "hi there");
    config.put("workingDir", userDir.toString());
    JobOutcome outcome = handler().run(new TestJobContext(config));
    assertTrue(outcome.success(), outcome::toString);
    JsonNode output = outcome.output();
    assertEquals("hi there", output.get("greeting").asText());
    assertEquals("job-1", output.get("job").asText());
    assertEquals("exec-1", output.get("execution").asText());
    assertEquals("att-1", output.get("attempt").asText());
    assertEquals(userDir.toRealPath().toString(), output.get("cwd").asText());
    assertTrue(Files.exists(userDir.resolve("made-here")));
  }

  @Test
  void linesGoOutWhileTheAttemptRunsAndFloodsAreCutToAMarkedTail() throws Exception {
    // 300 lines of ~40 bytes at once (more than the 4 KiB a report carries), then a pause, then one more line.
    TestJobContext context = new TestJobContext(script(
        "i=0; while [ $i -lt 300 ]; do echo \"flood line $i ...........................\"; i=$((i+1)); done;"
            + " sleep 2.5; echo quiet"));
    JobOutcome outcome = handler().run(context);
    assertTrue(outcome.success());
    String live = String.join("", context.liveLogs());
    assertTrue(java.util.regex.Pattern.compile("(?m)^\\[gantry: \\d+ lines not sent live: more than the live limit]$")
        .matcher(live).find(), live);
    assertTrue(live.contains("flood line 299 ...........................\n"), live);
    assertFalse(live.contains("flood line 0 "), "the oldest lines were dropped: " + live.substring(0, 200));
    assertTrue(context.liveLogs().stream().allMatch(chunk -> chunk.length() <= 4096 + 100), "bounded per report");
    assertEquals(List.of(), context.reported(), "live lines are no progress of their own");
    assertTrue(outcome.logs().endsWith("quiet\n"), outcome.logs());
  }

  @Test
  void progressLinesAreReportedAndMalformedOnesIgnored() throws Exception {
    TestJobContext context = new TestJobContext(script(
        "echo '::progress {\"percent\":40,\"message\":\"half\",\"checkpoint\":{\"step\":4}}';"
            + " echo '::progress not json'; echo '::progress {\"percent\":\"x\"}';"
            + " echo '::progress {\"checkpoint\":[1]}' >&2; echo done"));
    JobOutcome outcome = handler().run(context);
    assertTrue(outcome.success());
    // stdout and stderr are read by two threads: their lines may interleave either way.
    assertEquals(Set.of(
        new TestJobContext.Progress(40.0, "half", json("{\"step\":4}")),
        new TestJobContext.Progress(null, null, json("[1]"))), Set.copyOf(context.reported()));
    assertEquals(2, context.reported().size());
    assertTrue(outcome.logs().contains("::progress not json\n"), outcome.logs());
    // "done" is on stdout, the last progress line on stderr: either may be read last.
    assertTrue(outcome.logs().contains("done\n"), outcome.logs());
  }

  @Test
  void theLogTailIsBounded() throws Exception {
    ObjectNode config = MAPPER.createObjectNode();
    config.putArray("command").add("seq").add("1").add("100000");
    JobOutcome outcome = new ShellHandler(workDirRoot, 100, MAPPER).run(new TestJobContext(config));
    assertTrue(outcome.success());
    assertTrue(outcome.logs().length() <= 100, outcome.logs());
    assertTrue(outcome.logs().endsWith("\n99999\n100000\n"), outcome.logs());
  }

  @Test
  void aNonZeroExitFailsWithTheLastErrorLine() throws Exception {
    JobOutcome outcome = handler().run(new TestJobContext(script(
        "echo '{\"ignored\":true}' > \"$GANTRY_OUTPUT\"; echo working; echo 'first problem' >&2; echo 'disk full' >&2; exit 3")));
    assertFalse(outcome.success());
    assertEquals("exit code 3: disk full", outcome.error());
    assertTrue(outcome.logs().contains("working\n"), outcome.logs());
  }

  @Test
  void anInvalidOutputFileFailsTheAttempt() throws Exception {
    JobOutcome outcome = handler().run(new TestJobContext(script("echo '{\"rows\": ' > \"$GANTRY_OUTPUT\"")));
    assertFalse(outcome.success());
    assertTrue(outcome.error().startsWith("the output file (GANTRY_OUTPUT) is not valid JSON: "), outcome.error());
  }

  @Test
  void aCommandThatCannotStartFailsNamingIt() throws Exception {
    ObjectNode config = MAPPER.createObjectNode();
    config.putArray("command").add("/no/such/program").add("--flag");
    JobOutcome outcome = handler().run(new TestJobContext(config));
    assertFalse(outcome.success());
    assertEquals("cannot start command \"/no/such/program\": No such file or directory", outcome.error());
  }

  @Test
  void aMissingWorkingDirFailsTheAttempt() throws Exception {
    ObjectNode config = script("true").put("workingDir", workDirRoot.resolve("absent").toString());
    JobOutcome outcome = handler().run(new TestJobContext(config));
    assertFalse(outcome.success());
    assertTrue(outcome.error().contains("absent is not a directory"), outcome.error());
  }

  @Test
  void cancelKillsTheWholeProcessTree() throws Exception {
    TestJobContext context = new TestJobContext(script("sleep 300 & sleep 300 & echo started; wait"));
    CompletableFuture<JobOutcome> running = CompletableFuture.supplyAsync(() -> run(handler(), context));
    List<ProcessHandle> sleeps = awaitSleepingChildren(2);
    long start = System.nanoTime();
    context.cancel();
    JobOutcome outcome = running.get(10, TimeUnit.SECONDS);
    assertEquals("cancelled", outcome.error());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    assertAllEnd(sleeps);
  }

  @Test
  void aTreeThatIgnoresSigtermIsKilledForciblyAfterTheGrace() throws Exception {
    TestJobContext context = new TestJobContext(script("trap '' TERM; sleep 300 & wait")).timeoutMs(300);
    ShellHandler handler = new ShellHandler(workDirRoot, 4096, MAPPER, Duration.ofMillis(200));
    CompletableFuture<JobOutcome> running = CompletableFuture.supplyAsync(() -> run(handler, context));
    List<ProcessHandle> sleeps = awaitSleepingChildren(1);
    JobOutcome outcome = running.get(10, TimeUnit.SECONDS);
    assertEquals("timed out after 300 ms", outcome.error());
    assertAllEnd(sleeps);
  }

  @Test
  void aBackgroundProcessHoldingTheOutputDoesNotHoldTheAttempt() throws Exception {
    long start = System.nanoTime();
    JobOutcome outcome = handler().run(new TestJobContext(script("sleep 4 & echo launched")));
    assertTrue(outcome.success());
    assertEquals("launched\n", outcome.logs());
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3_500));
  }

  @Test
  void anAlreadyCancelledAttemptDoesNotStart() throws Exception {
    TestJobContext context = new TestJobContext(script("touch should-not-exist"));
    context.cancel();
    assertEquals("cancelled", handler().run(context).error());
  }

  /** The `sleep` processes this JVM's shell jobs started, once there are {@code count} of them. */
  private static List<ProcessHandle> awaitSleepingChildren(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> sleeps = ProcessHandle.current().descendants()
          .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
          .toList();
      if (sleeps.size() >= count) {
        return sleeps;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the shell job did not start " + count + " sleep processes");
  }

  /** Killed processes may linger as zombies until PID 1 reaps them: those count as ended. */
  private static void assertAllEnd(List<ProcessHandle> processes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (processes.stream().anyMatch(ProcessTree::isRunning) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (ProcessHandle process : processes) {
      assertFalse(ProcessTree.isRunning(process), () -> "still running: " + process.pid());
    }
  }

  private static JobOutcome run(ShellHandler handler, TestJobContext context) {
    try {
      return handler.run(context);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

}
