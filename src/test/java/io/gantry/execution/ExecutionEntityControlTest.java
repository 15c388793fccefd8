package io.gantry.execution;

import io.gantry.protocol.AttemptIds;
import static io.gantry.execution.ExecutionEntityFlowTest.CHAIN;
import static io.gantry.execution.ExecutionUnderTest.assertFailure;
import static io.gantry.execution.ExecutionUnderTest.types;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gantry.dag.DagParser;
import io.gantry.execution.ExecutionEvent.*;
import io.gantry.protocol.ExecutionProtocol.Cancel;
import io.gantry.protocol.ExecutionProtocol.CancelJob;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Forget;
import io.gantry.protocol.ExecutionProtocol.GetState;
import io.gantry.protocol.ExecutionProtocol.Pause;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.Resume;
import io.gantry.protocol.ExecutionProtocol.Retry;
import io.gantry.protocol.ExecutionProtocol.Submit;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.SubmitAccepted;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Execution entity alone (EventSourcedBehaviorTestKit): pause and resume, cancel and retry, passivation, and
 * restarts that rebuild the same state from the journal, from a snapshot, and after a failed write.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionEntityControlTest {

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ExecutionUnderTest.CONFIG).build();

  ExecutionUnderTest entity() {
    return new ExecutionUnderTest(testKit, 1000, Duration.ofMinutes(5));
  }

  StatusReply<ExecutionState> run(ExecutionUnderTest e,
      Function<ActorRef<StatusReply<ExecutionState>>, Command> command) {
    return e.kit.<StatusReply<ExecutionState>>runCommand(command).reply();
  }

  @Test
  void pauseWithdrawsQueuedJobsAndHoldsNewOnesUntilResume() {
    ExecutionUnderTest e = entity();
    e.submit(CHAIN);
    e.expectOffer();
    var paused = e.kit.<StatusReply<ExecutionState>>runCommand(Pause::new);
    assertEquals(List.of(Paused.class), types(paused.events()));
    assertEquals(ExecutionStatus.PAUSED, paused.reply().getValue().status());
    assertEquals(List.of(e.attempt("a", 1)),
        e.registry.expectMessageClass(RegistryProtocol.Withdraw.class).attemptIds());
    e.expectIndexWrite("status", ExecutionStatus.PAUSED);
    assertFailure(run(e, Pause::new), "CONFLICT: cannot pause execution " + e.executionId + ": it is paused");

    // A worker that already took the attempt still runs and reports it; its dependent waits for the resume.
    e.started("a", 1);
    var finished = e.finished("a", 1, true, null, null);
    assertEquals(List.of(JobSucceeded.class), types(finished.events()));
    assertEquals(JobStatus.WAITING, finished.state().run().job("b").status);
    e.expectNothingTold();

    var resumed = e.kit.<StatusReply<ExecutionState>>runCommand(Resume::new);
    assertEquals(List.of(Resumed.class, JobsQueued.class), types(resumed.events()));
    assertEquals(ExecutionStatus.RUNNING, resumed.reply().getValue().status());
    assertEquals(List.of(e.attempt("b", 1)), e.expectOffer());
    e.expectIndexWrite("status", ExecutionStatus.RUNNING);
    assertFailure(run(e, Resume::new), "CONFLICT: cannot resume execution " + e.executionId + ": it is running");
  }

  @Test
  void cancelStopsRunningAttemptsAndRetryReopensTheRun() {
    ExecutionUnderTest e = entity();
    e.submit(CHAIN);
    e.expectOffer();
    e.started("a", 1);
    var cancelled = e.kit.<StatusReply<ExecutionState>>runCommand(Cancel::new);
    assertEquals(new Cancelled(List.of("a", "b"), ((Cancelled) cancelled.event()).at()), cancelled.event());
    assertEquals(ExecutionStatus.CANCELLED, cancelled.reply().getValue().status());
    assertInstanceOf(Phase.Finished.class, cancelled.state());
    assertEquals(List.of(e.attempt("a", 1)), e.expectCancelOnWorkers());
    e.expectIndexWrite("status", ExecutionStatus.CANCELLED);

    assertFailure(run(e, Cancel::new), "CONFLICT: cannot cancel execution " + e.executionId + ": it is cancelled");
    assertFailure(run(e, Pause::new), "CONFLICT: cannot pause");
    assertFailure(run(e, c -> new CancelJob("a", c)), "CONFLICT: job a is already cancelled");
    assertFailure(e.finished("a", 1, true, null, null).reply(), "STALE_ATTEMPT: ");
    e.started("a", 1);
    assertEquals(List.of(e.attempt("a", 1)), e.expectCancelOnWorkers(), "a late start is stopped again");

    var retried = e.kit.<StatusReply<ExecutionState>>runCommand(Retry::new);
    assertEquals(List.of(Retried.class, JobsQueued.class), types(retried.events()));
    assertInstanceOf(Phase.Active.class, retried.state());
    assertEquals(List.of(e.attempt("a", 2)), e.expectOffer());
    e.expectIndexWrite("reopened", ExecutionStatus.RUNNING);
    assertTrue(e.finished("a", 2, true, null, null).reply().isSuccess());
    assertEquals(List.of(e.attempt("b", 1)), e.expectOffer());
    e.finished("b", 1, true, null, null);
    e.expectIndexWrite("status", ExecutionStatus.COMPLETED);
    assertFailure(run(e, Retry::new), "CONFLICT: cannot retry execution " + e.executionId + ": it is completed");
  }

  @Test
  void cancellingOneJobSkipsItsDependentsAndTheRestGoesOn() {
    ExecutionUnderTest e = entity();
    e.submit("""
        {"workflowId": "two", "jobs": [
          {"id": "a", "type": "noop"},
          {"id": "after-a", "type": "noop", "dependsOn": ["a"]},
          {"id": "z", "type": "noop"}
        ]}""");
    e.expectOffer();
    e.started("a", 1);
    var cancelled = e.kit.<StatusReply<ExecutionState>>runCommand(c -> new CancelJob("a", c));
    assertEquals(List.of(JobCancelled.class, JobsSkipped.class),
        types(cancelled.events()));
    assertEquals(List.of(e.attempt("a", 1)), e.expectCancelOnWorkers());
    assertEquals(ExecutionStatus.RUNNING, cancelled.reply().getValue().status());
    assertFailure(run(e, c -> new CancelJob("nope", c)), "NOT_FOUND: execution " + e.executionId + " has no job nope");

    // The last unsettled job's cancel cancels the run.
    var last = e.kit.<StatusReply<ExecutionState>>runCommand(c -> new CancelJob("z", c));
    assertEquals(List.of(Cancelled.class), types(last.events()));
    assertEquals(ExecutionStatus.CANCELLED, last.reply().getValue().status());
    assertEquals(List.of(e.attempt("z", 1)), e.expectCancelOnWorkers());
  }

  @Test
  void aFinishedOrUnknownExecutionPassivatesWhenIdleAndAnActiveOneStays() {
    ExecutionUnderTest e = new ExecutionUnderTest(testKit, 1000, Duration.ofMillis(200));
    assertFailure(run(e, Pause::new), "NOT_FOUND: execution " + e.executionId + " not found");
    e.shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(10)); // unknown, and idle
    e.submit(CHAIN);
    e.kit.<StatusReply<ExecutionState>>runCommand(Cancel::new);
    assertEquals(Done.getInstance(), e.kit.<Done>runCommand(Forget::new).reply());
    e.shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(10)); // forgotten
    e.shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(10)); // finished, and idle

    ExecutionUnderTest active = new ExecutionUnderTest(testKit, 1000, Duration.ofMillis(200));
    active.shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(10));
    active.submit(CHAIN);
    assertEquals(Done.getInstance(), active.kit.<Done>runCommand(Forget::new).reply());
    active.shard.expectNoMessage(Duration.ofMillis(600));
  }

  @Test
  void aRestartReplaysTheJournalIntoTheSameStateAndResendsWhatIsInFlight() {
    ExecutionUnderTest e = entity();
    e.submit("""
        {"workflowId": "replay", "jobs": [
          {"id": "a", "type": "noop"},
          {"id": "b", "type": "fail", "dependsOn": ["a"], "maxRetries": 2,
           "backoff": {"initialMs": 60000, "multiplier": 1.0, "maxMs": 60000}},
          {"id": "c", "type": "noop", "dependsOn": ["a"]},
          {"id": "d", "type": "noop", "dependsOn": ["b", "c"]}
        ]}""");
    e.started("a", 1);
    e.kit.runCommand(new ReportProgress("a", e.attempt("a", 1), 40.0, "hm",
        TextNode.valueOf("cp-1"), null));
    e.finished("a", 1, true, IntNode.valueOf(1), null);
    e.started("b", 1);
    e.finished("b", 1, false, null, "flaky"); // retrying, due in a minute
    e.started("c", 1);
    e.registry.receiveSeveralMessages(2);
    Phase before = e.kit.getState();

    Phase after = e.kit.restart().state();
    assertEquals(ExecutionUnderTest.views(before), ExecutionUnderTest.views(after));
    // c runs: the registry is asked to confirm it; b's retry is still due in a minute, nothing is offered.
    RegistryProtocol.Track track = e.registry.expectMessageClass(RegistryProtocol.Track.class);
    assertEquals(List.of(e.attempt("c", 1)), track.attempts().stream().map(t -> t.attemptId()).toList());
    assertEquals("node-1", track.attempts().get(0).workerNode());
    e.expectNothingTold();

    // The rebuilt state goes on: c's end is recorded against the same attempt, b's next attempt number follows.
    assertTrue(e.finished("c", 1, true, null, null).reply().isSuccess());
    assertEquals(e.attempt("b", 2), e.run().nextAttemptId(e.run().dag.indexOf("b")));
  }

  @Test
  void aRestartFromASnapshotAloneRebuildsTheSameState() {
    // A snapshot every 4 events for this 2-job DAG (at least 2 per job): after submit (2), start (3), progress (4).
    ExecutionUnderTest e = new ExecutionUnderTest(testKit, 1, Duration.ofMinutes(5));
    e.submit(CHAIN);
    e.started("a", 1);
    e.kit.runCommand(new ReportProgress("a", e.attempt("a", 1), 50.0, "half",
        TextNode.valueOf("cp"), null));
    ExecutionSnapshot snapshot = e.kit.snapshotTestKit().orElseThrow()
        .expectNextPersistedClass(e.persistenceId, ExecutionSnapshot.class);
    assertEquals(e.executionId, snapshot.executionId());
    Phase before = e.kit.getState();

    // Without its events the entity can only recover through the snapshot adapter.
    e.kit.persistenceTestKit().clearByIdPreservingSeqNumbers(e.persistenceId);
    Phase after = e.kit.restart().state();
    assertNotSame(before.run(), after.run());
    assertEquals(ExecutionUnderTest.views(before), ExecutionUnderTest.views(after));
    assertEquals(50.0, after.run().job("a").progress);

    var finished = e.finished("a", 1, true, null, null);
    assertTrue(finished.reply().isSuccess());
    assertEquals(List.of(JobSucceeded.class, JobsQueued.class), types(finished.events()));
  }

  @Test
  void aFinishedRunRestartsFinished() {
    ExecutionUnderTest e = new ExecutionUnderTest(testKit, 1, Duration.ofMinutes(5));
    e.submit(CHAIN);
    e.kit.<StatusReply<ExecutionState>>runCommand(Cancel::new);
    Phase before = e.kit.getState();
    Phase after = e.kit.restart().state();
    assertInstanceOf(Phase.Finished.class, after);
    assertEquals(ExecutionUnderTest.views(before), ExecutionUnderTest.views(after));
    assertInstanceOf(Phase.Empty.class, entity().kit.restart().state());
  }

  @Test
  void aSubmitWhoseWriteFailedLeavesNothingBehindAfterTheRestart() {
    // Spawned directly: the behavior testkit's own state query can be lost while the entity restarts.
    ExecutionUnderTest e = entity();
    String id = "ex-" + UUID.randomUUID();
    e.kit.persistenceTestKit().failNextPersisted(Execution.persistenceId(id).id());
    ActorRef<Command> entity = testKit.spawn(Execution.create(id, e.settings, e.shard.ref()));
    TestProbe<StatusReply<SubmitAccepted>> submitted = testKit.createTestProbe();
    entity.tell(new Submit(DagParser.parse(CHAIN), submitted.ref()));
    submitted.expectNoMessage(Duration.ofMillis(500));
    e.registry.expectNoMessage(Duration.ofMillis(1)); // nothing is offered for events that were not stored

    // The entity restarted with backoff and replayed an empty journal: the events it applied before are gone.
    TestProbe<StatusReply<ExecutionState>> state = testKit.createTestProbe();
    entity.tell(new GetState(state.ref()));
    assertFailure(state.receiveMessage(Duration.ofSeconds(10)), "NOT_FOUND: execution " + id + " not found");
    entity.tell(new Submit(DagParser.parse(CHAIN), submitted.ref()));
    assertTrue(submitted.receiveMessage(Duration.ofSeconds(10)).getValue().created());
    assertEquals(AttemptIds.of(id, "a", 1), e.registry.expectMessageClass(RegistryProtocol.Offer.class,
        Duration.ofSeconds(10)).offers().get(0).attemptId());
    testKit.stop(entity);
  }
}
