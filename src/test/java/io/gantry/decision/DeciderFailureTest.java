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

/** Failures (retry with backoff, or for good with its descendants skipped) and lost attempts. */
class DeciderFailureTest {

  private static final long NOW = 1_000_000L;
  private static final String BACKOFF = "'maxRetries':3,'backoff':{'initialMs':1000,'multiplier':3.0,'maxMs':5000}";

  @Test
  void aFailureIsRetriedAfterABackoffThatGrowsWithEachFailureUpToItsCap() {
    TestRun run = TestRun.of(jobWith("a", BACKOFF)).inFlight("a", JobStatus.RUNNING, 1);
    int a = run.index("a");
    assertEquals(List.of(new RetryAt("a", NOW + 1000)), Decider.afterFailure(run, a, NOW), "first failure");
    run.failures("a", 1);
    assertEquals(List.of(new RetryAt("a", NOW + 3000)), Decider.afterFailure(run, a, NOW), "second: x3");
    run.failures("a", 2);
    assertEquals(List.of(new RetryAt("a", NOW + 5000)), Decider.afterFailure(run, a, NOW), "third: capped");
  }

  @Test
  void theFailureAfterTheLastRetryIsFinal() {
    TestRun run = TestRun.of(jobWith("a", BACKOFF)).inFlight("a", JobStatus.RUNNING, 4).failures("a", 3);
    assertEquals(List.of(new FailForGood("a"), new Finish(ExecutionStatus.FAILED)),
        Decider.afterFailure(run, run.index("a"), NOW));
  }

  @Test
  void aJobWithoutRetriesFailsForGoodAtOnce() {
    TestRun run = TestRun.of(jobWith("a", "'maxRetries':0"), job("b")).inFlight("a", JobStatus.RUNNING, 1)
        .inFlight("b", JobStatus.RUNNING, 1);
    assertEquals(List.of(new FailForGood("a")), Decider.afterFailure(run, run.index("a"), NOW),
        "b still runs: no finish yet");
  }

  @Test
  void theDefaultBudgetIsThreeRetriesFiveSecondsApartAtFirst() {
    TestRun run = TestRun.of(job("a")).inFlight("a", JobStatus.RUNNING, 1);
    assertEquals(List.of(new RetryAt("a", NOW + 5000)), Decider.afterFailure(run, run.index("a"), NOW));
    run.failures("a", 3);
    assertEquals(FailForGood.class, Decider.afterFailure(run, run.index("a"), NOW).get(0).getClass());
  }

  @Test
  void aFinalFailureSkipsEveryWaitingDescendantNearestFirstButNotTheRest() {
    // a -> b -> c, a -> d; e is independent and still running.
    TestRun run = TestRun.of(jobWith("a", "'maxRetries':0"), job("b", "a"), job("c", "b"), job("d", "a"), job("e"))
        .inFlight("a", JobStatus.RUNNING, 1).inFlight("e", JobStatus.RUNNING, 1);
    assertEquals(List.of(new FailForGood("a"), new Skip(List.of("b", "d", "c"), "a")),
        Decider.afterFailure(run, run.index("a"), NOW));
  }

  @Test
  void aFinalFailureThatLeavesNothingToRunFinishesTheRunFailed() {
    TestRun run = TestRun.of(jobWith("a", "'maxRetries':0"), job("b", "a"), job("c"))
        .inFlight("a", JobStatus.RUNNING, 1).set(JobStatus.COMPLETED, "c");
    assertEquals(List.of(new FailForGood("a"), new Skip(List.of("b"), "a"), new Finish(ExecutionStatus.FAILED)),
        Decider.afterFailure(run, run.index("a"), NOW));
  }

  @Test
  void descendantsAlreadySettledAreNotSkippedAgain() {
    // c was cancelled (and its descendant d skipped because of it) before a failed.
    TestRun run = TestRun.of(jobWith("a", "'maxRetries':0"), job("b", "a"), job("c", "a"), job("d", "c"))
        .inFlight("a", JobStatus.RUNNING, 1).set(JobStatus.CANCELLED, "c").set(JobStatus.SKIPPED, "d");
    assertEquals(List.of(new FailForGood("a"), new Skip(List.of("b"), "a"), new Finish(ExecutionStatus.FAILED)),
        Decider.afterFailure(run, run.index("a"), NOW));
  }

  @Test
  void aLostAttemptIsRequeuedAtOnceAsTheNextAttempt() {
    TestRun run = TestRun.of(job("a"), job("b", "a")).inFlight("a", JobStatus.RUNNING, 2);
    assertEquals(List.of(new Queue(List.of(new Attempt("a", attemptId("a", 3))))),
        Decider.afterLost(run, run.index("a")));
  }

  @Test
  void aLostAttemptSpendsNoRetry() {
    // No retry left: a failure now would be final, a loss is not a failure and runs the job again.
    TestRun run = TestRun.of(jobWith("a", "'maxRetries':0")).inFlight("a", JobStatus.RUNNING, 1);
    int a = run.index("a");
    assertEquals(List.of(new Queue(List.of(new Attempt("a", attemptId("a", 2))))), Decider.afterLost(run, a));
    assertEquals(FailForGood.class, Decider.afterFailure(run, a, NOW).get(0).getClass());
  }

  @Test
  void aDueRetryQueuesTheJobsNextAttempt() {
    TestRun run = TestRun.of(job("a")).retrying("a", 1, 1, NOW);
    assertEquals(List.of(new Queue(List.of(new Attempt("a", attemptId("a", 2))))),
        Decider.retryDue(run, run.index("a")));
  }

  @Test
  void aRetryTimerForAJobThatMovedOnQueuesNothing() {
    TestRun run = TestRun.of(job("a"), job("b")).inFlight("a", JobStatus.QUEUED, 2).set(JobStatus.CANCELLED, "b");
    assertEquals(List.of(), Decider.retryDue(run, run.index("a")), "already queued again");
    assertEquals(List.of(), Decider.retryDue(run, run.index("b")), "cancelled meanwhile");
  }
}
