package io.gantry.execution;

import static io.gantry.execution.ExecutionUnderTest.assertFailure;
import static io.gantry.execution.ExecutionUnderTest.types;
import static io.gantry.execution.ExecutionUnderTest.jobOf;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.IntNode;
import io.gantry.execution.ExecutionEvent.*;
import io.gantry.protocol.ExecutionProtocol.GetJob;
import io.gantry.protocol.ExecutionProtocol.GetResult;
import io.gantry.protocol.ExecutionProtocol.GetState;
import io.gantry.protocol.ExecutionProtocol.LinkCheckpoint;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportLost;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobResult;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.SubmitAccepted;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Execution entity alone (EventSourcedBehaviorTestKit): what it stores, answers and tells for a submission,
 * reports of its workers, retries, timeouts, and reports about attempts that are not current.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionEntityFlowTest {
  static final String CHAIN = """
      {"workflowId": "chain", "jobs": [
        {"id": "a", "type": "noop"},
        {"id": "b", "type": "noop", "dependsOn": ["a"]}
      ]}""";

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ExecutionUnderTest.CONFIG).build();

  ExecutionUnderTest entity() {
    return new ExecutionUnderTest(testKit, 1000, Duration.ofMinutes(5));
  }

  @Test
  void submitStoresTheDocumentQueuesTheRootsAndOffersThem() {
    ExecutionUnderTest e = entity();
    var result = e.submit(CHAIN);
    assertEquals(2, result.events().size());
    Submitted submitted = (Submitted) result.events().get(0);
    assertEquals(e.executionId, submitted.document().executionId());
    assertEquals(List.of(new QueuedAttempt("a", e.attempt("a", 1))), ((JobsQueued) result.events().get(1)).attempts());
    assertEquals(new SubmitAccepted(e.executionId, "chain", ExecutionStatus.RUNNING, true), result.reply().getValue());
    assertInstanceOf(Phase.Active.class, result.state());
    assertEquals(List.of(e.attempt("a", 1)), e.expectOffer());

    var again = e.submit(CHAIN);
    assertTrue(again.hasNoEvents(), "the same document again changes nothing");
    assertFalse(again.reply().getValue().created());
    var other = e.submit(CHAIN.replace("\"chain\"", "\"other\""));
    assertTrue(other.hasNoEvents());
    assertFailure(other.reply(), "CONFLICT: execution " + e.executionId + " already exists");
    e.expectNothingTold();
  }

  @Test
  void anInvalidDocumentIsRefusedAndNothingIsStored() {
    ExecutionUnderTest e = entity();
    var result = e.submit("""
        {"workflowId": "cycle", "jobs": [
          {"id": "a", "type": "noop", "dependsOn": ["b"]},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}
        ]}""");
    assertTrue(result.hasNoEvents());
    assertFailure(result.reply(), "INVALID_DAG: ");
    assertInstanceOf(Phase.Empty.class, result.state());
    assertFailure(e.kit.<StatusReply<ExecutionState>>runCommand(
        GetState::new).reply(), "NOT_FOUND: execution " + e.executionId);
    e.expectNothingTold();
  }

  @Test
  void aFinishedJobSucceedsQueuesItsDependentAndTheLastOneFinishesTheRun() {
    ExecutionUnderTest e = entity();
    e.submit(CHAIN);
    e.expectOffer();

    var started = e.started("a", 1);
    assertEquals(JobStarted.class, started.event().getClass());
    assertEquals(JobStatus.RUNNING, started.state().run().job("a").status);

    var finished = e.finished("a", 1, true, IntNode.valueOf(7), null);
    assertTrue(finished.reply().isSuccess());
    assertEquals(2, finished.events().size());
    assertEquals(IntNode.valueOf(7), ((JobSucceeded) finished.events().get(0)).output());
    assertEquals(List.of(new QueuedAttempt("b", e.attempt("b", 1))),
        ((JobsQueued) finished.events().get(1)).attempts());
    var offered = e.registry.expectMessageClass(RegistryProtocol.Offer.class).offers();
    assertEquals(1, offered.size());
    assertEquals(IntNode.valueOf(7), offered.get(0).dependencyOutputs().get("a"), "b gets a's output");

    // b reports its end without a start report: the start is recorded with it, then the run ends.
    var last = e.finished("b", 1, true, null, null);
    assertEquals(List.of(JobStarted.class, JobSucceeded.class, Finished.class),
        types(last.events()));
    assertEquals(ExecutionStatus.COMPLETED, ((Finished) last.events().get(2)).status());
    assertInstanceOf(Phase.Finished.class, last.state());
    e.expectIndexWrite("status", ExecutionStatus.COMPLETED);
    assertEquals(JobStatus.COMPLETED, jobOf(last.state(), "b").status());
  }

  @Test
  void aFailureIsRetriedAfterItsBackoffUntilTheRetriesAreSpent() {
    ExecutionUnderTest e = entity();
    e.submit("""
        {"workflowId": "flaky", "jobs": [
          {"id": "f", "type": "fail", "maxRetries": 1, "backoff": {"initialMs": 200, "multiplier": 1.0, "maxMs": 200}}
        ]}""");
    e.expectOffer();
    e.started("f", 1);
    long before = System.currentTimeMillis();
    var failed = e.finished("f", 1, false, null, "boom");
    JobFailed event = (JobFailed) failed.event();
    assertEquals("boom", event.error());
    assertNotNull(event.retryAt(), "one retry is left");
    assertTrue(event.retryAt() >= before + 200);
    assertEquals(JobStatus.RETRYING, failed.state().run().job("f").status);
    assertInstanceOf(Phase.Active.class, failed.state());

    // The retry timer fires by itself and the next attempt is offered.
    assertEquals(List.of(e.attempt("f", 2)), e.expectOffer());
    assertEquals(JobStatus.QUEUED, e.run().job("f").status);
    assertFailure(e.finished("f", 1, true, null, null).reply(), "STALE_ATTEMPT: attempt " + e.attempt("f", 1));

    var last = e.finished("f", 2, false, null, "boom again");
    assertEquals(List.of(JobStarted.class, JobFailed.class, Finished.class),
        types(last.events()));
    assertNull(((JobFailed) last.events().get(1)).retryAt(), "no retry left");
    assertEquals(ExecutionStatus.FAILED, last.state().run().status);
    e.expectIndexWrite("status", ExecutionStatus.FAILED);
    assertEquals(2, jobOf(last.state(), "f").attemptHistory().size());
  }

  @Test
  void anAttemptPastItsTimeoutFailsAndIsStoppedOnItsWorker() {
    ExecutionUnderTest e = entity();
    e.submit("""
        {"workflowId": "slow", "jobs": [{"id": "s", "type": "noop", "timeoutMs": 300, "maxRetries": 0}]}""");
    e.expectOffer();
    e.started("s", 1);
    assertEquals(List.of(e.attempt("s", 1)), e.expectCancelOnWorkers());
    e.expectIndexWrite("status", ExecutionStatus.FAILED);
    JobRun s = e.run().job("s");
    assertEquals(JobStatus.FAILED, s.status);
    assertEquals("timed out after 300 ms", s.error);
    assertEquals("timed-out", s.history.get(0).outcome());
  }

  @Test
  void reportsAboutAnAttemptThatIsNotCurrentChangeNothing() {
    ExecutionUnderTest e = entity();
    e.submit(CHAIN);
    e.expectOffer();
    String stale = e.attempt("a", 7);

    var finished = e.kit.<StatusReply<Done>>runCommand(replyTo ->
        new ReportFinished("a", stale, "w1", true, null, null, null, 0, 1,
            replyTo));
    assertTrue(finished.hasNoEvents());
    assertFailure(finished.reply(), "STALE_ATTEMPT: attempt " + stale + " is no longer current");
    var progress = e.kit.<StatusReply<Done>>runCommand(replyTo ->
        new ReportProgress("a", stale, 50.0, "half", null, replyTo));
    assertTrue(progress.hasNoEvents());
    assertFailure(progress.reply(), "STALE_ATTEMPT: ");
    // Without a replyTo the sender hears nothing.
    assertTrue(e.kit.runCommand(new ReportProgress("a", stale, 50.0, "half", null, null)).hasNoEvents());
    assertTrue(e.kit.runCommand(new ReportLost("a", stale, "gone")).hasNoEvents());

    // A worker that started an attempt nobody wants is told to stop it.
    assertTrue(e.kit.runCommand(new ReportStarted("a", stale, "w2", null, 1)).hasNoEvents());
    assertEquals(List.of(stale), e.expectCancelOnWorkers());
    assertEquals(JobStatus.QUEUED, e.run().job("a").status);
    assertEquals(e.attempt("a", 1), e.run().job("a").currentAttemptId);
    e.expectNothingTold();
  }

  @Test
  void aLostAttemptRunsAgainAsANewOneAndTheOldOneIsStale() {
    ExecutionUnderTest e = entity();
    e.submit(CHAIN);
    e.expectOffer();
    e.started("a", 1);
    var lost = e.kit.runCommand(new ReportLost("a", e.attempt("a", 1), "worker expired"));
    assertEquals(List.of(AttemptLost.class, JobsQueued.class), types(lost.events()));
    assertEquals(List.of(e.attempt("a", 2)), e.expectOffer());
    assertEquals(0, lost.state().run().job("a").failures, "a lost attempt spends no retry");
    assertFailure(e.finished("a", 1, true, null, null).reply(), "STALE_ATTEMPT: ");
    assertTrue(e.finished("a", 2, true, null, null).reply().isSuccess());
    assertEquals(List.of(e.attempt("b", 1)), e.expectOffer());
  }

  @Test
  void queriesAnswerFromTheStateAndACheckpointLinkIsStoredInAnySubmittedPhase() {
    ExecutionUnderTest e = entity();
    assertFailure(e.kit.<StatusReply<ExecutionState>>runCommand(c -> new LinkCheckpoint("cp-0", c)).reply(),
        "NOT_FOUND: execution " + e.executionId + " not found");
    assertFailure(e.kit.<StatusReply<JobDetail>>runCommand(c -> new GetJob("a", c)).reply(), "NOT_FOUND: ");
    e.submit(CHAIN);
    e.expectOffer();
    // A progress report before the start report records the start first.
    var progress = e.kit.<StatusReply<Done>>runCommand(c ->
        new ReportProgress("a", e.attempt("a", 1), 10.0, "warming up", null, c));
    assertEquals(List.of(JobStarted.class, JobProgressed.class), types(progress.events()));
    assertTrue(progress.reply().isSuccess());

    JobDetail a = e.kit.<StatusReply<JobDetail>>runCommand(c -> new GetJob("a", c)).reply().getValue();
    assertEquals(JobStatus.RUNNING, a.status());
    assertEquals(e.attempt("a", 1), a.currentAttemptId());
    assertEquals("dependencies", e.kit.<StatusReply<JobDetail>>runCommand(c -> new GetJob("b", c)).reply()
        .getValue().blockedBy());
    assertFailure(e.kit.<StatusReply<JobDetail>>runCommand(c -> new GetJob("x", c)).reply(),
        "NOT_FOUND: execution " + e.executionId + " has no job x");
    assertFailure(e.kit.<StatusReply<JobResult>>runCommand(c -> new GetResult("a", c)).reply(),
        "NOT_FOUND: job a of execution " + e.executionId + " has no result yet (it is running)");

    e.finished("a", 1, true, IntNode.valueOf(3), null);
    e.finished("b", 1, true, null, null);
    JobResult result = e.kit.<StatusReply<JobResult>>runCommand(c -> new GetResult("a", c)).reply().getValue();
    assertEquals(IntNode.valueOf(3), result.output());
    var linked = e.kit.<StatusReply<ExecutionState>>runCommand(c -> new LinkCheckpoint("cp-1", c));
    assertEquals(CheckpointLinked.class, linked.event().getClass());
    assertEquals("cp-1", linked.reply().getValue().checkpointId());
    assertInstanceOf(Phase.Finished.class, linked.state());
  }
}
