package io.gantry.worker.handlers;

import static io.gantry.worker.handlers.TestJobContext.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.worker.JobHandler;
import io.gantry.worker.JobOutcome;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimpleHandlersTest {

  @Test
  void noopPassesItsInputsOn() throws Exception {
    TestJobContext context = new TestJobContext("{}").dependencyOutput("prep", MAPPER.readTree("{\"rows\":3}"));
    JobOutcome outcome = new NoopHandler().run(context);
    assertTrue(outcome.success());
    assertEquals(MAPPER.readTree("{\"inputs\":{\"prep\":{\"rows\":3}}}"), outcome.output());
  }

  @Test
  void noopReturnsTheConfiguredOutput() throws Exception {
    JobOutcome outcome = new NoopHandler().run(new TestJobContext("{'output':{'model':'m1'}}"));
    assertEquals(MAPPER.readTree("{\"model\":\"m1\"}"), outcome.output());
  }

  @Test
  void sleepSleepsThenSucceeds() throws Exception {
    long start = System.nanoTime();
    JobOutcome outcome = new SleepHandler().run(new TestJobContext("{'ms':50}"));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
    assertTrue(outcome.success());
    assertEquals(MAPPER.readTree("{\"sleptMs\":50}"), outcome.output());
    assertEquals(MAPPER.readTree("[1]"), new SleepHandler().run(new TestJobContext("{'ms':0,'output':[1]}")).output());
  }

  @Test
  void sleepEndsPromptlyWhenCancelled() throws Exception {
    TestJobContext context = new TestJobContext("{'ms':60000}");
    CompletableFuture<JobOutcome> running = CompletableFuture.supplyAsync(() -> run(new SleepHandler(), context));
    Thread.sleep(100);
    long start = System.nanoTime();
    context.cancel();
    JobOutcome outcome = running.get(5, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
    assertFalse(outcome.success());
    assertEquals("cancelled", outcome.error());
  }

  @Test
  void sleepWithoutMsIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SleepHandler().run(new TestJobContext("{}")));
    assertTrue(e.getMessage().contains("config.ms"));
  }

  @Test
  void failFailsThePlannedAttemptsThenSucceeds() {
    FailHandler handler = new FailHandler();
    JobOutcome first = handler.run(new TestJobContext("{'times':2}").attempt(1));
    assertFalse(first.success());
    assertEquals("fail job: attempt 1 of the planned failures", first.error());
    assertFalse(handler.run(new TestJobContext("{'times':2}").attempt(2)).success());
    JobOutcome third = handler.run(new TestJobContext("{'times':2}").attempt(3));
    assertTrue(third.success());
    assertEquals(3, third.output().get("attempt").asInt());
    assertEquals("ok", handler.run(new TestJobContext("{'times':0,'output':'ok'}")).output().asText());
  }

  @Test
  void failWithoutTimesAlwaysFailsWithItsMessage() {
    JobOutcome outcome = new FailHandler().run(new TestJobContext("{'message':'boom'}").attempt(20));
    assertFalse(outcome.success());
    assertEquals("boom", outcome.error());
  }

  @Test
  void builtInsAreRegisteredByType() {
    Map<String, JobHandler> handlers = BuiltInHandlers.create(Path.of("target/handlers-test"), 1024, MAPPER);
    assertEquals(4, handlers.size());
    assertTrue(handlers.get("shell") instanceof ShellHandler);
    assertTrue(handlers.get("noop") instanceof NoopHandler);
    assertTrue(handlers.get("sleep") instanceof SleepHandler);
    assertTrue(handlers.get("fail") instanceof FailHandler);
  }

  private static JobOutcome run(JobHandler handler, TestJobContext context) {
    try {
      return handler.run(context);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
