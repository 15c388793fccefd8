package io.gantry.decision;

import static io.gantry.decision.TestRun.attemptId;
import static io.gantry.decision.TestRun.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.decision.Decision.*;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Success: which dependents become ready (fan-out, fan-in) and when the run ends, with which status. */
class DeciderFlowTest {

  private static TestRun diamond() {
    return TestRun.of(job("a"), job("b", "a"), job("c", "a"), job("d", "b", "c"));
  }

  @Test
  void aSuccessQueuesEveryDependentWhoseOnlyDependencyItWas() {
    TestRun run = diamond().inFlight("a", JobStatus.RUNNING, 1);
    assertEquals(List.of(new Queue(List.of(
            new Attempt("b", attemptId("b", 1)), new Attempt("c", attemptId("c", 1))))),
        Decider.afterSuccess(run, run.index("a")));
  }

  @Test
  void aFanInJobWaitsForAllOfItsDependencies() {
    TestRun run = diamond().set(JobStatus.COMPLETED, "a")
        .inFlight("b", JobStatus.RUNNING, 1).inFlight("c", JobStatus.RUNNING, 1);
    assertEquals(List.of(), Decider.afterSuccess(run, run.index("b")), "d still waits for c");

    run.set(JobStatus.COMPLETED, "b");
    assertEquals(List.of(new Queue(List.of(new Attempt("d", attemptId("d", 1))))),
        Decider.afterSuccess(run, run.index("c")), "c was d's last dependency");
  }

  @Test
  void aFanInJobIsNotQueuedWhenAnotherDependencyFailedOrIsRetrying() {
    TestRun run = diamond().set(JobStatus.COMPLETED, "a")
        .inFlight("b", JobStatus.RUNNING, 1).retrying("c", 1, 1, 5_000L);
    assertEquals(List.of(), Decider.afterSuccess(run, run.index("b")));
  }

  @Test
  void theLastSuccessFinishesTheRunCompleted() {
    TestRun run = diamond().set(JobStatus.COMPLETED, "a", "b", "c").inFlight("d", JobStatus.RUNNING, 1);
    assertEquals(List.of(new Finish(ExecutionStatus.COMPLETED)), Decider.afterSuccess(run, run.index("d")));
  }

  @Test
  void theLastSuccessFinishesTheRunFailedWhenAnotherJobFailed() {
    TestRun run = TestRun.of(job("a"), job("b"), job("c", "b"))
        .set(JobStatus.FAILED, "b").set(JobStatus.SKIPPED, "c").inFlight("a", JobStatus.RUNNING, 1);
    assertEquals(List.of(new Finish(ExecutionStatus.FAILED)), Decider.afterSuccess(run, run.index("a")));
  }

  @Test
  void aSuccessWithOtherJobsStillRunningDoesNotFinish() {
    TestRun run = TestRun.of(job("a"), job("b")).inFlight("a", JobStatus.RUNNING, 1)
        .inFlight("b", JobStatus.QUEUED, 1);
    assertEquals(List.of(), Decider.afterSuccess(run, run.index("a")));
  }

  @Test
  void aSuccessQueuesInDocumentOrderAndNamesTheNextAttempt() {
    // e had two attempts before the execution was retried: its next attempt is the third.
    TestRun run = TestRun.of(job("root"), job("f", "root"), job("e", "root"))
        .inFlight("root", JobStatus.RUNNING, 1).serial("e", 2);
    assertEquals(List.of(new Queue(List.of(
            new Attempt("f", attemptId("f", 1)), new Attempt("e", attemptId("e", 3))))),
        Decider.afterSuccess(run, run.index("root")));
  }
}
