package io.gantry.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import io.gantry.dag.DagParser;
import io.gantry.execution.ExecutionEvent.JobSucceeded;
import io.gantry.protocol.AttemptIds;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.GetState;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportResults;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.WorkerProtocol.ResultsAcknowledged;
import io.gantry.protocol.ExecutionProtocol.Submit;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.SubmitAccepted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Group commit inside one Execution (on the persistence testkit's journal, whose writes a policy holds, counts or
 * fails): a burst of reports that arrives while a write is in flight is stored in one write, acknowledged only once
 * it is stored, and a crash before its write loses nothing, because the reports that were not acknowledged are sent
 * again (as workers do, see WorkerAgentReportsTest) and stored then.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionGroupCommitTest {
  static final int JOBS = 200;

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ExecutionUnderTest.CONFIG).build();

  String executionId;
  String pid;
  PersistenceTestKit journal;
  WritePolicy policy;
  TestProbe<RegistryProtocol.Command> registry;
  ActorRef<Command> entity;
  TestProbe<ClusterSharding.ShardCommand> shard;
  ExecutionSettings settings;

  /** Counts the entity's writes and their sizes; may hold the next one until released, or fail the next one. */
  static final class WritePolicy implements ProcessingPolicy<JournalOperation> {
    final String pid;
    final List<Integer> writeSizes = new CopyOnWriteArrayList<>();
    volatile CountDownLatch hold;
    final AtomicInteger failNext = new AtomicInteger();

    WritePolicy(String pid) {
      this.pid = pid;
    }

    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
      if (!pid.equals(persistenceId) || !(op instanceof WriteEvents w)) {
        return ProcessingSuccess.getInstance();
      }
      boolean fail = failNext.getAndSet(0) > 0; // as set before this write arrived
      CountDownLatch gate = hold;
      if (gate != null) {
        hold = null;
        try {
          gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (fail) {
        return StorageFailure.create(new IllegalStateException("the journal is gone (test)"));
      }
      writeSizes.add(w.getBatch().size());
      return ProcessingSuccess.getInstance();
    }
  }

  @AfterEach
  void resetJournal() {
    journal.resetPolicy();
  }

  /** A run of JOBS independent jobs, all offered; the writes counted from here on. */
  void submitWideRun() {
    executionId = "ex-" + UUID.randomUUID();
    pid = Execution.persistenceId(executionId).id();
    journal = PersistenceTestKit.create(testKit.system());
    policy = new WritePolicy(pid);
    journal.withPolicy(policy);
    registry = testKit.createTestProbe(RegistryProtocol.Command.class);
    TestProbe<ExecutionUnderTest.IndexWrite> index = testKit.createTestProbe(ExecutionUnderTest.IndexWrite.class);
    settings = new ExecutionSettings(1000, Duration.ofMinutes(5),
        new ExecutionUnderTest.ProbeIndex(index), pool -> registry.ref());
    shard = testKit.createTestProbe();
    entity = testKit.spawn(Execution.create(executionId, settings, shard.ref()));
    StringBuilder json = new StringBuilder("{\"workflowId\": \"wide\", \"jobs\": [");
    for (int i = 0; i < JOBS; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\": \"j").append(i).append("\", \"type\": \"noop\"}");
    }
    TestProbe<StatusReply<SubmitAccepted>> submitted = testKit.createTestProbe();
    entity.tell(new Submit(DagParser.parse(json.append("]}").toString()), submitted.ref()));
    assertTrue(submitted.receiveMessage(Duration.ofSeconds(10)).isSuccess());
    assertEquals(JOBS, registry.expectMessageClass(RegistryProtocol.Offer.class).offers().size());
    policy.writeSizes.clear();
  }

  ReportFinished finished(int job, ActorRef<StatusReply<Done>> replyTo) {
    long now = System.currentTimeMillis();
    return new ReportFinished("j" + job, AttemptIds.of(executionId, "j" + job, 1), "w1", true, IntNode.valueOf(job),
        null, null, now - 1, now, replyTo);
  }

  @Test
  void aBurstOfReportsIsStoredInOneWriteAndAcknowledgedOnlyAfterIt() throws Exception {
    submitWideRun();
    TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
    CountDownLatch release = new CountDownLatch(1);
    policy.hold = release; // the first report's write stays in flight while the others arrive
    for (int i = 0; i < JOBS; i++) {
      entity.tell(new ReportStarted("j" + i, AttemptIds.of(executionId, "j" + i, 1), "w1", "node-1",
          System.currentTimeMillis()));
    }
    for (int i = 0; i < JOBS; i++) {
      entity.tell(finished(i, acks.ref()));
    }
    TestProbe<StatusReply<ExecutionState>> state = testKit.createTestProbe();
    entity.tell(new GetState(state.ref()));
    acks.expectNoMessage(Duration.ofMillis(500));
    state.expectNoMessage(Duration.ofMillis(1));
    assertEquals(List.of(), policy.writeSizes, "nothing stored while the first write is held");

    release.countDown();
    for (int i = 0; i < JOBS; i++) {
      assertTrue(acks.receiveMessage(Duration.ofSeconds(10)).isSuccess());
    }
    // 1 started (written at once), then the rest: 199 started + 200 succeeded + finished, in one write.
    assertEquals(List.of(1, 2 * JOBS), policy.writeSizes);
    // The query sent after the burst waited for the burst's write: it sees every job completed.
    ExecutionState seen = state.receiveMessage(Duration.ofSeconds(10)).getValue();
    assertEquals(ExecutionStatus.COMPLETED, seen.status());
    List<Object> stored = journal.persistedInStorage(pid);
    assertEquals(JOBS, stored.stream().filter(e -> e instanceof JobSucceeded).count());
    assertTrue(stored.get(stored.size() - 1) instanceof ExecutionEvent.Finished);
  }

  @Test
  void resultsToldManyPerMessageAreAcknowledgedOncePerWriteAndARepeatAfterALostAckIsStoredOnce() {
    submitWideRun();
    TestProbe<ResultsAcknowledged> acks = testKit.createTestProbe();
    CountDownLatch release = new CountDownLatch(1);
    policy.hold = release;
    List<ReportFinished> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(finished(i, null));
    }
    List<String> later = results.subList(1, 10).stream().map(ReportFinished::attemptId).toList();
    entity.tell(new ReportResults(results.subList(0, 1), acks.ref())); // written at once, and held
    entity.tell(new ReportResults(results.subList(1, 6), acks.ref()));
    entity.tell(new ReportResults(results.subList(6, 10), acks.ref()));
    acks.expectNoMessage(Duration.ofMillis(500));
    release.countDown();
    assertEquals(List.of(results.get(0).attemptId()), acks.receiveMessage(Duration.ofSeconds(10)).attemptIds());
    assertEquals(later, acks.receiveMessage(Duration.ofSeconds(10)).attemptIds(),
        "the two messages that came during the first write: one write, one ack");
    assertEquals(List.of(2, 18), policy.writeSizes, "started + succeeded per job");

    // That ack was lost on its way: the worker sends the results again. Acknowledged again, stored once.
    entity.tell(new ReportResults(results.subList(1, 10), acks.ref()));
    assertEquals(later, acks.receiveMessage(Duration.ofSeconds(10)).attemptIds());
    acks.expectNoMessage(Duration.ofMillis(300));
    assertEquals(List.of(2, 18), policy.writeSizes, "the repeat wrote nothing");
    assertEquals(10, journal.persistedInStorage(pid).stream().filter(e -> e instanceof JobSucceeded).count());
  }

  private static boolean received(TestProbe<StatusReply<Done>> probe, long withinMs) {
    try {
      probe.receiveMessage(Duration.ofMillis(withinMs));
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  @Test
  void aCrashBeforeTheBatchIsWrittenLosesNothingBecauseTheReportsAreSentAgain() throws Exception {
    submitWideRun();
    TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
    CountDownLatch release = new CountDownLatch(1);
    policy.hold = release;
    for (int i = 0; i < JOBS; i++) {
      entity.tell(finished(i, acks.ref()));
    }
    Thread.sleep(300); // the other reports arrive (and are buffered) while the first write is held
    policy.failNext.set(1);
    release.countDown(); // the first write is stored: its report is acknowledged
    assertTrue(acks.receiveMessage(Duration.ofSeconds(10)).isSuccess());
    // The batch's write fails: the entity restarts from the journal, and nothing of the batch was acknowledged.
    acks.expectNoMessage(Duration.ofSeconds(1));
    assertEquals(1, journal.persistedInStorage(pid).stream().filter(e -> e instanceof JobSucceeded).count());
    // Restarted in place, the entity leaves through its shard, which starts it afresh (as sharding does).
    shard.expectMessageClass(ClusterSharding.Passivate.class, Duration.ofSeconds(10));
    testKit.stop(entity);
    entity = testKit.spawn(Execution.create(executionId, settings, shard.ref()));
    registry.fishForMessage(Duration.ofSeconds(10), m -> m instanceof RegistryProtocol.Offer o
        && o.offers().size() == JOBS - 1
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());

    // Reporters send again what was not acknowledged, as workers do (WorkerAgent, every 5 s), until it is: here
    // the whole burst at once, the first one too (a repeat is answered, not stored twice).
    List<TestProbe<StatusReply<Done>>> answers = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      answers.add(testKit.createTestProbe());
    }
    Set<Integer> unanswered = new HashSet<>();
    for (int i = 0; i < JOBS; i++) {
      unanswered.add(i);
    }
    int rounds = 0;
    for (; rounds < 5 && !unanswered.isEmpty(); rounds++) {
      unanswered.forEach(i -> entity.tell(finished(i, answers.get(i).ref())));
      long deadline = System.currentTimeMillis() + 3000;
      for (Integer i : List.copyOf(unanswered)) {
        long left = Math.max(1, deadline - System.currentTimeMillis());
        if (!answers.get(i).receiveSeveralMessages(0, Duration.ZERO).isEmpty() || received(answers.get(i), left)) {
          unanswered.remove(i);
        }
      }
    }
    assertEquals(Set.of(), unanswered, "every report was answered at last");
    assertEquals(1, rounds, "the fresh entity took the whole burst at once");
    List<Object> stored = journal.persistedInStorage(pid);
    List<String> succeeded = new ArrayList<>();
    stored.forEach(e -> {
      if (e instanceof JobSucceeded s) {
        succeeded.add(s.jobId());
      }
    });
    assertEquals(JOBS, succeeded.size(), "every job's result is stored exactly once");
    assertEquals(JOBS, new HashSet<>(succeeded).size());
    TestProbe<StatusReply<ExecutionState>> state = testKit.createTestProbe();
    entity.tell(new GetState(state.ref()));
    assertEquals(ExecutionStatus.COMPLETED, state.receiveMessage(Duration.ofSeconds(10)).getValue().status());
    assertTrue(policy.writeSizes.size() < JOBS / 4, "the re-sent reports were stored in few writes too: "
        + policy.writeSizes);
  }
}
