package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol.PolledJobs;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.ClusterQueueStore;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who runs what, with the registry's parts driven directly and the concurrency keys' locks in the test Redis: an
 * offer is idempotent, a cancel stops a running attempt on its worker, an attempt with a key is sent only once its
 * lock is granted and waits (queued again) while another holds it.
 */
class AttemptDispatchTest {
  static final String NODE = "pekko://gantry@10.0.0.1:2551";
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").build();
  RegistryParts parts;
  TestProbe<WorkerProtocol.Command> agent;

  @BeforeEach
  void setUp() {
    parts = new RegistryParts(node.system(), RegistryParts.settings(Duration.ofSeconds(5), Duration.ofSeconds(5),
        Duration.ofMinutes(10)));
    agent = TestProbe.create(node.system());
    parts.register(RegistryParts.cluster("c1", NODE), agent.getRef());
  }

  JobOffer run(JobOffer o) {
    parts.dispatch.offer(List.of(o));
    parts.dispatch.dispatch();
    return agent.expectMessageClass(WorkerProtocol.Run.class).offer();
  }

  @Test
  void anOfferOfAnAttemptThatRunsIsNotQueuedAgain() {
    JobOffer a = RegistryParts.offer("ex-1", "a");
    assertEquals(a, run(a));
    parts.dispatch.offer(List.of(a));
    parts.dispatch.dispatch();
    agent.expectNoMessage(Duration.ofMillis(200));
    assertEquals(0, parts.scheduler.queuedCount());
    assertEquals(1, parts.dispatch.dispatched());

    parts.dispatch.release(a.attemptId());
    assertFalse(parts.dispatch.holds(a.attemptId()), "ended: its slot is free");
  }

  @Test
  void aCancelTakesAQueuedAttemptBackAndStopsARunningOne() {
    JobOffer running = run(RegistryParts.offer("ex-2", "running"));
    JobOffer queued = new JobOffer("ex-2:queued:1", "ex-2", "queued", "noop", 5, List.of("gpu"), null, null,
        "default", 0, null, null, 1, null, 0); // no worker here has a gpu: it stays queued
    parts.dispatch.offer(List.of(queued));
    parts.dispatch.dispatch();
    assertEquals(1, parts.scheduler.queuedCount());

    parts.dispatch.cancel(List.of(queued.attemptId(), running.attemptId(), "ex-9:unknown:1"));
    assertEquals(0, parts.scheduler.queuedCount(), "the queued one left the queue");
    assertEquals(running.attemptId(), agent.expectMessageClass(WorkerProtocol.CancelAttempt.class).attemptId());
    assertTrue(parts.dispatch.holds(running.attemptId()), "its slot is held until the worker says it ended");
  }

  @Test
  void anHttpWorkersCancelledAttemptFreesItsSlotAtOnce() {
    WorkerEntry h = parts.register(RegistryParts.http("h1", 1), null);
    parts.membership.takeOffline(parts.workers.get("c1"), "gone for this test");
    JobOffer o = RegistryParts.offer("ex-3", "h");
    parts.dispatch.offer(List.of(o));
    TestProbe<StatusReply<PolledJobs>> poll = TestProbe.create(node.system());
    parts.polls.open(h, 1, poll.getRef(), System.currentTimeMillis());
    parts.dispatch.dispatch();
    assertEquals(List.of(o), poll.receiveMessage().getValue().jobs());
    parts.dispatch.cancel(List.of(o.attemptId()));
    assertFalse(parts.dispatch.holds(o.attemptId()), "it learns on its next report (409); the slot is free now");
  }

  @Test
  void anAttemptWithAKeyIsSentOnceItsLockIsGrantedAndWaitsWhileAnotherHoldsIt() {
    ClusterQueueStore store = new ClusterQueueStore(GantryRedis.get(node.system()));
    assertTrue(Await.result(store.acquireKey("model", "elsewhere:x:1", 30_000)), "another pool holds the key");

    JobOffer k = RegistryParts.offer("ex-4", "k", "model");
    parts.dispatch.offer(List.of(k));
    parts.dispatch.dispatch();
    agent.expectNoMessage(Duration.ofMillis(200));
    ClusterAnswer refused = parts.lastAnswer();
    assertFalse(((ClusterAnswer.KeyAnswered) refused).held());
    parts.dispatch.keyAnswered(refused, System.currentTimeMillis());
    assertEquals(1, parts.scheduler.queuedCount(), "queued again");
    assertFalse(parts.dispatch.holds(k.attemptId()));
    RecordingTimers.Armed retry = parts.timers.single.get("key:model");
    assertEquals(Duration.ofMillis(500), retry.delay(), "looks again after concurrency-key-retry");

    ClusterAnswer still = look(retry);
    assertFalse(((ClusterAnswer.KeyLooked) still).free());
    parts.dispatch.keyAnswered(still, System.currentTimeMillis());
    parts.dispatch.dispatch();
    agent.expectNoMessage(Duration.ofMillis(200));

    Await.result(store.releaseKey("model", "elsewhere:x:1"));
    ClusterAnswer free = look(parts.timers.single.get("key:model"));
    assertTrue(((ClusterAnswer.KeyLooked) free).free());
    parts.dispatch.keyAnswered(free, System.currentTimeMillis());
    parts.dispatch.dispatch();
    agent.expectNoMessage(Duration.ofMillis(200)); // asked for the lock first
    ClusterAnswer granted = parts.lastAnswer();
    assertTrue(((ClusterAnswer.KeyAnswered) granted).held());
    parts.dispatch.keyAnswered(granted, System.currentTimeMillis());
    assertEquals(k, agent.expectMessageClass(WorkerProtocol.Run.class).offer(), "sent once granted");
    assertEquals("model", Await.result(store.keyOf(k.attemptId())), "the lock names the attempt's key");

    parts.dispatch.release(k.attemptId());
    Await.until(() -> Await.result(store.keyFree("model")), f -> f, Duration.ofSeconds(5), "the lock is released");
  }

  /** Fires a key's retry timer as the actor would: the look it starts, answered. */
  ClusterAnswer look(RecordingTimers.Armed retry) {
    ClusterAnswer answer = ((AttemptDispatch.Shared) retry.message()).answer();
    assertInstanceOf(ClusterAnswer.KeyRetry.class, answer);
    parts.dispatch.keyAnswered(answer, System.currentTimeMillis());
    return parts.lastAnswer();
  }
}
