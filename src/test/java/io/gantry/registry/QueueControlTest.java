package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.ClusterQueueStore;
import io.gantry.registry.cluster.SharedPause;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.QueuedAttempt;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool's queue control against the shared flag in Redis: dispatch is held until the flag is first read (without
 * showing the queue paused), the flag applies when read, a command wins over a read started before it, and drain
 * cancels every queued attempt's job through its Execution.
 */
class QueueControlTest {
  static final Duration REFRESH = Duration.ofSeconds(5);
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").build();
  ClusterQueueStore store;
  List<CompletionStage<ClusterAnswer>> reads;
  PoolScheduler scheduler;
  TestProbe<ExecutionProtocol.Command> executions;
  QueueControl queue;

  @BeforeEach
  void setUp() {
    store = new ClusterQueueStore(GantryRedis.get(node.system())); // under the node's own key prefix
    Await.result(store.setPaused(false));
    reads = new CopyOnWriteArrayList<>();
    scheduler = new PoolScheduler(300_000, 0);
    executions = TestProbe.create(node.system());
    queue = new QueueControl("p1", scheduler, new SharedPause(store, "p1", reads::add), REFRESH,
        id -> executions.getRef(), node.system(), node.system().log());
  }

  ClusterAnswer.PauseRead lastRead() {
    return (ClusterAnswer.PauseRead) Await.result(reads.get(reads.size() - 1));
  }

  @Test
  void dispatchIsHeldUntilTheFlagIsReadWithoutShowingTheQueuePaused() {
    assertTrue(scheduler.paused(), "held");
    assertFalse(queue.paused(), "but not paused by anyone");
    assertEquals(Duration.ofSeconds(1), queue.read(new ClusterAnswer.PauseRead(0, null)),
        "a failed first read is tried again soon");
    assertTrue(scheduler.paused());

    queue.refresh();
    assertEquals(REFRESH, queue.read(lastRead()));
    assertFalse(scheduler.paused(), "read: not paused");
    assertFalse(queue.paused());
    assertTrue(Await.result(store.pools()).contains("p1"), "reading records the pool as existing");
    assertEquals(REFRESH, queue.read(new ClusterAnswer.PauseRead(0, null)), "a later failure keeps the flag");
    assertFalse(scheduler.paused());
  }

  @Test
  void theSharedFlagAppliesWhenReadAndACommandWinsOverAnOlderRead() {
    Await.result(store.setPaused(true));
    queue.refresh(); // the read at start may have run before the write
    queue.read(lastRead());
    assertTrue(queue.paused(), "paused in Redis: paused here");

    queue.refresh(); // reads true, answered below: after the command
    Await.result(store.setPaused(false));
    queue.commanded(false);
    assertFalse(scheduler.paused(), "a resume applies at once");
    ClusterAnswer.PauseRead older = (ClusterAnswer.PauseRead) Await.result(reads.get(reads.size() - 1));
    queue.read(older);
    assertFalse(queue.paused(), "a read started before the command does not undo it");

    queue.commanded(true);
    assertTrue(queue.paused());
  }

  @Test
  void drainCancelsTheJobOfEveryQueuedAttempt() {
    for (String job : List.of("a", "b")) {
      JobOffer o = RegistryParts.offer("ex-d", job);
      scheduler.offer(new QueuedAttempt(o.attemptId(), o.executionId(), o.jobId(), o.type(), o.priority(),
          WorkerViews.requirementsOf(o), o.concurrencyKey(), o.enqueuedAt(), o));
    }
    assertEquals(2, queue.drain(null));
    Set<String> cancelled = Set.of(
        executions.expectMessageClass(ExecutionProtocol.CancelJob.class).jobId(),
        executions.expectMessageClass(ExecutionProtocol.CancelJob.class).jobId());
    assertEquals(Set.of("a", "b"), cancelled);
    assertEquals(0, scheduler.queuedCount());
    assertEquals(0, queue.drain(null), "nothing left");
  }
}
