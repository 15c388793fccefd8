package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.Dispatched.ids;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Concurrency keys held by something this pool did not assign: an adopted attempt, or a holder in another pool. */
class ExternalKeyHoldTest {
  private final PoolScheduler scheduler = new PoolScheduler(300_000, 0);

  @Test
  void aKeyHeldElsewhereParksItsAttemptsUntilReleased() {
    scheduler.upsertWorker(worker("w").slots(4).build());
    assertTrue(scheduler.holdKey("k", PoolScheduler.HELD_ELSEWHERE));
    scheduler.offer(attempt("a").key("k").at(0).build());
    scheduler.offer(attempt("free").at(1).build());
    assertEquals(List.of("free"), ids(scheduler.dispatch(0)));
    assertEquals(BlockReason.CONCURRENCY_KEY, scheduler.explain("a", 0).orElseThrow());

    scheduler.releaseKey("k", "someone-else");
    assertTrue(scheduler.dispatch(1).isEmpty(), "only the holder releases it");
    scheduler.releaseKey("k", PoolScheduler.HELD_ELSEWHERE);
    assertEquals(List.of("a"), ids(scheduler.dispatch(2)));
  }

  @Test
  void anAdoptedHolderReplacesElsewhereButNotAnAttemptOfThisPool() {
    scheduler.upsertWorker(worker("w").slots(4).build());
    scheduler.holdKey("k", PoolScheduler.HELD_ELSEWHERE);
    assertTrue(scheduler.holdKey("k", "adopted-1"), "an adopted attempt takes over a hold from elsewhere");
    scheduler.releaseKey("k", PoolScheduler.HELD_ELSEWHERE);
    scheduler.offer(attempt("b").key("k").at(0).build());
    assertTrue(scheduler.dispatch(0).isEmpty(), "still held by the adopted attempt");
    scheduler.releaseKey("k", "adopted-1");
    assertEquals(List.of("b"), ids(scheduler.dispatch(1)));

    assertFalse(scheduler.holdKey("k", "adopted-2"), "b, assigned here, holds it");
    assertFalse(scheduler.holdKey("k", PoolScheduler.HELD_ELSEWHERE));
    scheduler.release("b");
    scheduler.offer(attempt("c").key("k").at(2).build());
    assertEquals(List.of("c"), ids(scheduler.dispatch(3)), "b's release freed it");
    assertEquals("c", scheduler.assignedAttempt("c").attemptId());
  }
}
