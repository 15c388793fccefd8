package io.gantry.decision;

import static io.gantry.decision.TestRun.attemptId;
import static io.gantry.decision.TestRun.job;
import static io.gantry.decision.TestRun.jobWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.decision.Decision.*;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What users do to a run: pause and resume, cancel it or one job, retry it. */
class DeciderControlTest {

  private static final long NOW = 1_000_000L;

  @Test
  void nothingIsQueuedWhilePaused() {
    TestRun run = TestRun.of(job("a"), job("b", "a"), job("c")).paused()
        .inFlight("a", JobStatus.RUNNING, 1).inFlight("c", JobStatus.RUNNING, 1);
    assertEquals(List.of(), Decider.afterSuccess(run, run.index("a")), "b becomes ready but waits");
    assertEquals(List.of(), Decider.afterLost(run, run.index("c")), "a lost attempt waits too");
    run.retrying("c", 1, 1, NOW);
    assertEquals(List.of(), Decider.retryDue(run, run.index("c")), "so does a due retry");
  }

  @Test
  void aPausedRunStillFinishesWhenItsLastJobSucceeds() {
    TestRun run = TestRun.of(job("a")).paused().inFlight("a", JobStatus.RUNNING, 1);
    assertEquals(List.of(new Finish(ExecutionStatus.COMPLETED)), Decider.afterSuccess(run, run.index("a")));
  }

  @Test
  void resumeQueuesReadyJobsAndDueRetriesOnly() {
    TestRun run = TestRun.of(job("a"), job("ready", "a"), job("blocked", "ready"), job("due"), job("later"),
            job("running"), job("lost"))
        .paused().set(JobStatus.COMPLETED, "a")
        .retrying("due", 1, 1, NOW)
        .retrying("later", 1, 1, NOW + 1)
        .inFlight("running", JobStatus.RUNNING, 1)
        // A lost attempt while paused: retrying, due at once.
        .retrying("lost", 1, 0, NOW - 10);
    assertEquals(List.of(new Queue(List.of(new Attempt("ready", attemptId("ready", 1)),
            new Attempt("due", attemptId("due", 2)), new Attempt("lost", attemptId("lost", 2))))),
        Decider.resume(run, NOW));
  }

  @Test
  void resumeWithNothingReadyQueuesNothing() {
    TestRun run = TestRun.of(job("a"), job("b", "a")).paused().inFlight("a", JobStatus.QUEUED, 1);
    assertEquals(List.of(), Decider.resume(run, NOW));
  }

  @Test
  void cancellingTheRunCancelsEveryUnsettledJob() {
    TestRun run = TestRun.of(job("a"), job("b", "a"), job("c"), job("d"), job("e"))
        .set(JobStatus.COMPLETED, "a").inFlight("b", JobStatus.RUNNING, 1).retrying("c", 1, 1, NOW)
        .set(JobStatus.FAILED, "d");
    assertEquals(List.of(new CancelExecution(List.of("b", "c", "e"))), Decider.cancel(run));
  }

  @Test
  void cancellingOneJobCancelsItsAttemptAndSkipsItsWaitingDescendants() {
    TestRun run = TestRun.of(job("a"), job("b", "a"), job("c", "b"), job("other"))
        .inFlight("a", JobStatus.RUNNING, 2).inFlight("other", JobStatus.RUNNING, 1);
    assertEquals(List.of(new CancelJob("a", attemptId("a", 2)), new Skip(List.of("b", "c"), "a")),
        Decider.cancelJob(run, run.index("a")), "other still runs: no finish");
  }

  @Test
  void cancellingARetryingOrWaitingJobHasNoAttemptToStop() {
    TestRun run = TestRun.of(job("a"), job("b", "a"), job("c"))
        .retrying("a", 1, 1, NOW).inFlight("c", JobStatus.RUNNING, 1);
    assertEquals(List.of(new CancelJob("a", null), new Skip(List.of("b"), "a")),
        Decider.cancelJob(run, run.index("a")));
    assertEquals(List.of(new CancelJob("b", null)), Decider.cancelJob(run, run.index("b")));
  }

  @Test
  void cancellingTheLastJobsFinishesCancelledWhenNothingFailed() {
    TestRun run = TestRun.of(job("a"), job("b", "a"), job("c"))
        .inFlight("a", JobStatus.QUEUED, 1).set(JobStatus.COMPLETED, "c");
    assertEquals(List.of(new CancelJob("a", attemptId("a", 1)), new Skip(List.of("b"), "a"),
        new Finish(ExecutionStatus.CANCELLED)), Decider.cancelJob(run, run.index("a")));
  }

  @Test
  void cancellingTheLastJobsFinishesFailedWhenAJobFailed() {
    TestRun run = TestRun.of(job("a"), job("b", "a"), job("c"))
        .inFlight("a", JobStatus.RUNNING, 1).set(JobStatus.FAILED, "c");
    assertEquals(List.of(new CancelJob("a", attemptId("a", 1)), new Skip(List.of("b"), "a"),
        new Finish(ExecutionStatus.FAILED)), Decider.cancelJob(run, run.index("a")));
  }

  @Test
  void cancellingTheOnlyUnsettledJobCancelsTheRun() {
    TestRun run = TestRun.of(job("a"), job("b")).set(JobStatus.COMPLETED, "a").inFlight("b", JobStatus.RUNNING, 1);
    assertEquals(List.of(new CancelExecution(List.of("b"))), Decider.cancelJob(run, run.index("b")));
  }

  @Test
  void aSettledJobHasNothingToCancel() {
    TestRun run = TestRun.of(job("a"), job("b")).set(JobStatus.COMPLETED, "a");
    assertEquals(List.of(), Decider.cancelJob(run, run.index("a")));
  }

  @Test
  void retryReopensFailedSkippedAndCancelledJobsAndQueuesThoseWhoseDependenciesCompleted() {
    TestRun run = TestRun.of(job("a"), jobWith("b", "'maxRetries':0", "a"), job("c", "b"), job("d"), job("e"))
        .set(JobStatus.COMPLETED, "a", "e").set(JobStatus.FAILED, "b").set(JobStatus.SKIPPED, "c")
        .set(JobStatus.CANCELLED, "d").serial("b", 1).serial("d", 1);
    assertEquals(List.of(new Reopen(List.of("b", "c", "d")),
            new Queue(List.of(new Attempt("b", attemptId("b", 2)), new Attempt("d", attemptId("d", 2))))),
        Decider.retry(run), "c waits for b again");
  }

  @Test
  void retryWithNothingFailedDecidesNothing() {
    TestRun run = TestRun.of(job("a"), job("b")).set(JobStatus.COMPLETED, "a").inFlight("b", JobStatus.RUNNING, 1);
    assertEquals(List.of(), Decider.retry(run));
  }
}
