package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.Dispatched.ids;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PoolSchedulerConcurrencyKeyTest {
  private final PoolScheduler scheduler = new PoolScheduler(300_000, 0);

  @BeforeEach
  void plentyOfSlots() {
    scheduler.upsertWorker(worker("w").caps("cpu", "gpu").gpus(1).slots(10).build());
  }

  @Test
  void secondAttemptWithTheKeyWaitsAndRunsAfterRelease() {
    scheduler.offer(attempt("first").key("registry").at(0).build());
    scheduler.offer(attempt("second").key("registry").at(1).build());

    assertEquals(List.of("first"), ids(scheduler.dispatch(0)));
    assertTrue(scheduler.dispatch(1).isEmpty());
    assertEquals(BlockReason.CONCURRENCY_KEY, scheduler.explain("second", 1).orElseThrow());

    scheduler.release("first");
    assertEquals(List.of("second"), ids(scheduler.dispatch(2)));
  }

  @Test
  void otherAttemptsPassAHeldKey() {
    scheduler.offer(attempt("k1").key("k").priority(9).at(0).build());
    scheduler.offer(attempt("k2").key("k").priority(9).at(1).build());
    scheduler.offer(attempt("free").priority(1).at(2).build());
    scheduler.offer(attempt("other-key").key("other").priority(1).at(3).build());

    assertEquals(List.of("k1", "free", "other-key"), ids(scheduler.dispatch(0)));
  }

  @Test
  void keyedAttemptsRunOneAtATimeInUrgencyOrderAcrossClassesAndPriorities() {
    scheduler.offer(attempt("cpu-low").key("k").needs("cpu").priority(2).at(0).build());
    scheduler.offer(attempt("gpu-high").key("k").needs("gpu").priority(8).at(1).build());
    scheduler.offer(attempt("any-mid").key("k").priority(5).at(2).build());
    scheduler.offer(attempt("any-mid-2").key("k").priority(5).at(3).build());

    StringBuilder order = new StringBuilder();
    for (int round = 0; round < 4; round++) {
      List<Assignment> next = scheduler.dispatch(round);
      assertEquals(1, next.size(), "exactly one keyed attempt at a time");
      String id = next.get(0).attempt().attemptId();
      order.append(id).append(' ');
      scheduler.release(id);
    }
    assertEquals("gpu-high any-mid any-mid-2 cpu-low ", order.toString());
  }

  @Test
  void aKeyedAttemptOfferedWhileTheKeyIsHeldWaits() {
    scheduler.offer(attempt("holder").key("k").build());
    assertEquals(List.of("holder"), ids(scheduler.dispatch(0)));

    scheduler.offer(attempt("late").key("k").priority(10).build());
    assertTrue(scheduler.dispatch(1).isEmpty());
    scheduler.release("holder");
    assertEquals(List.of("late"), ids(scheduler.dispatch(2)));
  }

  @Test
  void anOlderAttemptOfferedLaterOvertakesWaitingOnesOfTheSameKey() {
    scheduler.offer(attempt("holder").key("k").build());
    scheduler.dispatch(0);
    scheduler.offer(attempt("young").key("k").at(100).build());
    scheduler.dispatch(1); // parks the group
    scheduler.offer(attempt("old").key("k").at(50).build());

    scheduler.release("holder");
    assertEquals(List.of("old"), ids(scheduler.dispatch(200)));
    scheduler.release("old");
    assertEquals(List.of("young"), ids(scheduler.dispatch(201)));
  }

  @Test
  void withdrawingTheOldestOfAKeyLetsTheNextRun() {
    scheduler.offer(attempt("a").key("k").at(0).build());
    scheduler.offer(attempt("b").key("k").at(1).build());
    scheduler.offer(attempt("c").key("k").at(2).build());
    assertEquals("a", scheduler.withdraw("a").orElseThrow().attemptId());
    assertEquals(List.of("b"), ids(scheduler.dispatch(0)));

    assertEquals("c", scheduler.withdraw("c").orElseThrow().attemptId());
    scheduler.release("b");
    assertTrue(scheduler.dispatch(1).isEmpty());
    assertTrue(scheduler.queued(10).isEmpty());
  }

  @Test
  void withdrawingAWaitingAttemptWhileTheKeyIsHeld() {
    scheduler.offer(attempt("a").key("k").at(0).build());
    scheduler.offer(attempt("b").key("k").at(1).build());
    scheduler.offer(attempt("c").key("k").at(2).build());
    assertEquals(List.of("a"), ids(scheduler.dispatch(0)));

    scheduler.withdraw("b");
    scheduler.release("a");
    assertEquals(List.of("c"), ids(scheduler.dispatch(1)));
  }

  @Test
  void aKeyWaitsForCapacityWithoutBlockingOthers() {
    PoolScheduler oneSlot = new PoolScheduler(300_000, 0);
    oneSlot.upsertWorker(worker("w").slots(1).build());
    oneSlot.offer(attempt("k1").key("k").at(0).build());
    oneSlot.offer(attempt("k2").key("k").at(1).build());
    oneSlot.offer(attempt("x").at(2).build());

    assertEquals(List.of("k1"), ids(oneSlot.dispatch(0)));
    oneSlot.release("k1");
    assertEquals(List.of("k2"), ids(oneSlot.dispatch(1)));
    oneSlot.release("k2");
    assertEquals(List.of("x"), ids(oneSlot.dispatch(2)));
  }

  @Test
  void releasingAnUnknownOrStaleAttemptChangesNothing() {
    scheduler.offer(attempt("a").key("k").build());
    scheduler.offer(attempt("b").key("k").build());
    scheduler.dispatch(0);
    assertTrue(scheduler.release("nope").isEmpty());
    assertTrue(scheduler.release("b").isEmpty(), "b is queued, not running");
    assertTrue(scheduler.dispatch(1).isEmpty());
  }
}
