package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.Dispatched.ids;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSchedulerLifecycleTest {
  private final PoolScheduler scheduler = new PoolScheduler(300_000, 0);

  @Test
  void offerIsIdempotentWhileQueuedOrRunning() {
    scheduler.upsertWorker(worker("w").slots(1).build());
    assertTrue(scheduler.offer(attempt("a").build()));
    assertFalse(scheduler.offer(attempt("a").priority(10).build()));
    assertEquals(1, scheduler.stats(0).queued());

    scheduler.dispatch(0);
    assertFalse(scheduler.offer(attempt("a").build()), "running");
    assertTrue(scheduler.dispatch(1).isEmpty());

    scheduler.release("a");
    assertTrue(scheduler.offer(attempt("a").build()), "a finished attempt id may be offered again");
  }

  @Test
  void assignmentCarriesTheOfferPayloadAndIsTracked() {
    scheduler.upsertWorker(worker("w").build());
    QueuedAttempt offered = attempt("a").build();
    scheduler.offer(offered);
    Assignment assignment = scheduler.dispatch(0).get(0);

    assertSame(offered, assignment.attempt());
    assertEquals("offer-a", assignment.attempt().payload());
    assertEquals("w", scheduler.assignedWorker("a").orElseThrow());
    assertFalse(scheduler.isQueued("a"));
    assertTrue(scheduler.release("a").isPresent());
    assertTrue(scheduler.assignedWorker("a").isEmpty());
  }

  @Test
  void withdrawRemovesOnlyQueuedAttempts() {
    scheduler.offer(attempt("a").at(0).build());
    scheduler.offer(attempt("b").at(1).build());
    assertEquals("a", scheduler.withdraw("a").orElseThrow().attemptId());
    assertTrue(scheduler.withdraw("a").isEmpty());
    assertFalse(scheduler.isQueued("a"));

    scheduler.upsertWorker(worker("w").slots(5).build());
    assertEquals(List.of("b"), ids(scheduler.dispatch(0)));
    assertTrue(scheduler.withdraw("b").isEmpty(), "running attempts are released, not withdrawn");
  }

  @Test
  void pauseStopsDispatchAndResumeRestartsIt() {
    scheduler.upsertWorker(worker("w").slots(5).build());
    scheduler.offer(attempt("a").build());
    scheduler.pause();
    assertTrue(scheduler.paused());
    assertTrue(scheduler.dispatch(0).isEmpty());
    assertTrue(scheduler.isQueued("a"));
    assertEquals(-1, scheduler.nextWakeupDelayMs(0));

    scheduler.resume();
    assertFalse(scheduler.paused());
    assertEquals(List.of("a"), ids(scheduler.dispatch(1)));
  }

  @Test
  void drainRemovesEveryQueuedAttemptButLeavesRunningOnes() {
    scheduler.upsertWorker(worker("w").slots(1).build());
    scheduler.offer(attempt("running").key("k").at(0).build());
    scheduler.dispatch(0);
    scheduler.offer(attempt("q1").at(1).build());
    scheduler.offer(attempt("q2").key("k").at(2).build());
    scheduler.offer(attempt("q3").needs("gpu").at(3).build());

    assertEquals(List.of("q1", "q2", "q3"),
        scheduler.drain().stream().map(QueuedAttempt::attemptId).toList());
    assertEquals(0, scheduler.stats(5).queued());
    assertEquals("w", scheduler.assignedWorker("running").orElseThrow());

    scheduler.offer(attempt("after").key("k").at(6).build());
    scheduler.release("running");
    assertEquals(List.of("after"), ids(scheduler.dispatch(7)));
  }

  @Test
  void removeWorkerReturnsItsRunningAttemptsAndFreesTheirKeys() {
    scheduler.upsertWorker(worker("doomed").slots(2).build());
    scheduler.offer(attempt("a").key("k").at(0).build());
    scheduler.offer(attempt("b").at(1).build());
    scheduler.offer(attempt("c").key("k").at(2).build());
    assertEquals(List.of("a", "b"), ids(scheduler.dispatch(0)));

    List<QueuedAttempt> lost = scheduler.removeWorker("doomed");
    assertEquals(List.of("a", "b"), lost.stream().map(QueuedAttempt::attemptId).toList());
    assertTrue(scheduler.assignedWorker("a").isEmpty());
    assertTrue(scheduler.release("a").isEmpty());
    assertTrue(scheduler.worker("doomed").isEmpty());
    assertTrue(scheduler.removeWorker("doomed").isEmpty());

    scheduler.upsertWorker(worker("fresh").slots(2).build());
    assertEquals(List.of("c"), ids(scheduler.dispatch(1)), "the key of the lost attempt was freed");
  }

  @Test
  void rateLimitSpendsTokensAndTellsWhenToWakeUp() {
    PoolScheduler limited = new PoolScheduler(300_000, 2); // 2 per second, burst 2
    limited.upsertWorker(worker("w").slots(100).build());
    for (int i = 0; i < 5; i++) {
      limited.offer(attempt("a" + i).at(i).build());
    }
    assertEquals(List.of("a0", "a1"), ids(limited.dispatch(1_000)));
    assertEquals(500, limited.nextWakeupDelayMs(1_000));
    assertEquals(BlockReason.RATE_LIMIT, limited.explain("a2", 1_000).orElseThrow());
    assertEquals(200, limited.nextWakeupDelayMs(1_300));
    assertTrue(limited.dispatch(1_300).isEmpty());

    assertEquals(List.of("a2"), ids(limited.dispatch(1_500)));
    assertEquals(List.of("a3", "a4"), ids(limited.dispatch(10_000)), "burst is capped at 2");
    assertEquals(-1, limited.nextWakeupDelayMs(10_000), "nothing left to dispatch");
  }

  @Test
  void slowRateLimitStillAllowsABurstOfOne() {
    PoolScheduler limited = new PoolScheduler(300_000, 0.1); // one per 10 s
    limited.upsertWorker(worker("w").slots(10).build());
    limited.offer(attempt("a").build());
    limited.offer(attempt("b").build());
    assertEquals(List.of("a"), ids(limited.dispatch(0)));
    assertEquals(10_000, limited.nextWakeupDelayMs(0));
    assertEquals(List.of("b"), ids(limited.dispatch(10_000)));
  }

  @Test
  void noWakeupNeededWithoutRateLimitOrWithoutDispatchableWork() {
    scheduler.upsertWorker(worker("w").build());
    scheduler.offer(attempt("a").build());
    assertEquals(-1, scheduler.nextWakeupDelayMs(0));

    PoolScheduler limited = new PoolScheduler(300_000, 1);
    limited.offer(attempt("gpu").needs("gpu").build());
    limited.upsertWorker(worker("cpu").build());
    assertEquals(-1, limited.nextWakeupDelayMs(0), "no capable worker: a wake-up would not help");
    limited.upsertWorker(worker("gpu").caps("gpu").build());
    assertEquals(0, limited.nextWakeupDelayMs(0));
  }
}
