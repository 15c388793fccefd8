package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.Dispatched.ids;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSchedulerOrderingTest {
  private static final long AGING = 300_000;

  private final PoolScheduler scheduler = new PoolScheduler(AGING, 0);

  /** Dispatches one slot at a time and returns the order in which attempts got it. */
  private List<String> runOneByOne(long nowMs) {
    List<String> order = new ArrayList<>();
    List<Assignment> next;
    while (!(next = scheduler.dispatch(nowMs)).isEmpty()) {
      assertEquals(1, next.size());
      order.add(next.get(0).attempt().attemptId());
      scheduler.release(next.get(0).attempt().attemptId());
    }
    return order;
  }

  @Test
  void mostUrgentPriorityGoesFirstWithOneSlot() {
    scheduler.offer(attempt("low").priority(1).at(0).build());
    scheduler.offer(attempt("mid").priority(5).at(1).build());
    scheduler.offer(attempt("top").priority(10).at(2).build());
    scheduler.offer(attempt("high").priority(8).at(3).build());
    scheduler.upsertWorker(worker("w").slots(1).build());

    assertEquals(List.of("top", "high", "mid", "low"), runOneByOne(10));
  }

  @Test
  void oldestFirstWithinAPriorityThenOfferOrder() {
    scheduler.offer(attempt("later").at(50).build());
    scheduler.offer(attempt("first").at(10).build());
    scheduler.offer(attempt("sameTimeA").at(30).build());
    scheduler.offer(attempt("sameTimeB").at(30).build());
    scheduler.upsertWorker(worker("w").build());

    assertEquals(List.of("first", "sameTimeA", "sameTimeB", "later"), runOneByOne(100));
  }

  @Test
  void agingLetsAnOldLowPriorityAttemptPassNewerUrgentOnes() {
    scheduler.offer(attempt("old-low").priority(2).at(0).build());
    long now = 8 * AGING; // aged by 8 steps: effective 10
    scheduler.offer(attempt("new-high").priority(9).at(now - 1).build());
    scheduler.offer(attempt("new-top").priority(10).at(now).build());
    scheduler.upsertWorker(worker("w").build());

    assertEquals(List.of("old-low", "new-top", "new-high"), runOneByOne(now));
  }

  @Test
  void agingClimbsOneStepPerAgingPeriod() {
    scheduler.offer(attempt("p3-aged-twice").priority(3).at(0).build());
    long now = 2 * AGING + 5; // effective 5
    scheduler.offer(attempt("p5-older").priority(5).at(-1).build());
    scheduler.offer(attempt("p5-newer").priority(5).at(now).build());
    scheduler.offer(attempt("p6").priority(6).at(now).build());
    scheduler.upsertWorker(worker("w").build());

    // p5-older has aged twice too (effective 7); at equal effective priority the older goes first.
    assertEquals(List.of("p5-older", "p6", "p3-aged-twice", "p5-newer"), runOneByOne(now));
  }

  @Test
  void withoutAgingPriorityAloneDecides() {
    PoolScheduler noAging = new PoolScheduler(0, 0);
    noAging.offer(attempt("ancient-low").priority(1).at(-1_000_000_000).build());
    noAging.offer(attempt("new-high").priority(2).at(0).build());
    noAging.upsertWorker(worker("w").build());

    assertEquals(List.of("new-high"), ids(noAging.dispatch(0)));
  }

  @Test
  void prioritiesOutsideTheRangeAreClamped() {
    scheduler.offer(attempt("zero").priority(0).at(0).build());
    scheduler.offer(attempt("huge").priority(99).at(1).build());
    assertEquals(1, scheduler.queued(10).get(1).priority());
    assertEquals(10, scheduler.queued(10).get(0).priority());
  }

  @Test
  void queuedListsMostUrgentFirstWithOrWithoutAging() {
    scheduler.offer(attempt("old-low").priority(2).at(0).build());
    scheduler.offer(attempt("high").priority(9).at(8 * AGING).build());
    scheduler.offer(attempt("mid").priority(5).key("k").at(8 * AGING).build());

    assertEquals(List.of("high", "mid", "old-low"), scheduler.queued(10).stream().map(QueuedAttempt::attemptId).toList());
    assertEquals(List.of("old-low", "high", "mid"),
        scheduler.queued(10, 8 * AGING).stream().map(QueuedAttempt::attemptId).toList());
    assertEquals(List.of("high"), scheduler.queued(1).stream().map(QueuedAttempt::attemptId).toList());
  }

  @Test
  void mostUrgentAcrossClassesWins() {
    scheduler.upsertWorker(worker("w").caps("cpu", "gpu", "ssd").gpus(1).slots(1).build());
    scheduler.offer(attempt("cpu-5").needs("cpu").priority(5).at(0).build());
    scheduler.offer(attempt("gpu-7").needs("gpu").priority(7).at(1).build());
    scheduler.offer(attempt("ssd-7-older").needs("ssd").priority(7).at(0).build());
    scheduler.offer(attempt("any-6").priority(6).at(0).build());

    assertEquals(List.of("ssd-7-older", "gpu-7", "any-6", "cpu-5"), runOneByOne(10));
    assertTrue(scheduler.queued(10).isEmpty());
  }
}
