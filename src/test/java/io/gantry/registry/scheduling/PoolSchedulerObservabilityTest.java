package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolSchedulerObservabilityTest {
  private final PoolScheduler scheduler = new PoolScheduler(300_000, 0);

  @Test
  void explainIsEmptyForAttemptsThatAreNotQueued() {
    assertTrue(scheduler.explain("unknown", 0).isEmpty());
    scheduler.upsertWorker(worker("w").build());
    scheduler.offer(attempt("a").build());
    scheduler.dispatch(0);
    assertTrue(scheduler.explain("a", 0).isEmpty(), "running");
  }

  @Test
  void explainNamesEachReason() {
    scheduler.offer(attempt("gpu").needs("gpu").build());
    assertEquals(BlockReason.NO_CAPABLE_WORKER, scheduler.explain("gpu", 0).orElseThrow());

    scheduler.upsertWorker(worker("w").types("shell").slots(1).build());
    scheduler.offer(attempt("typed").type("exotic").build());
    scheduler.upsertWorker(worker("typed-only").types("other").build());
    assertEquals(BlockReason.NO_CAPABLE_WORKER, scheduler.explain("typed", 0).orElseThrow());

    scheduler.offer(attempt("holder").key("k").priority(10).build());
    scheduler.offer(attempt("waiter").key("k").build());
    scheduler.offer(attempt("filler").build());
    scheduler.dispatch(0); // holder on w, typed-only cannot take the rest
    assertEquals(BlockReason.CONCURRENCY_KEY, scheduler.explain("waiter", 0).orElseThrow());
    assertEquals(BlockReason.CAPACITY_FULL, scheduler.explain("filler", 0).orElseThrow());

    scheduler.pause();
    assertEquals(BlockReason.QUEUE_PAUSED, scheduler.explain("filler", 0).orElseThrow());
    assertEquals(BlockReason.QUEUE_PAUSED, scheduler.explain("gpu", 0).orElseThrow());
  }

  @Test
  void explainReportsRateLimitOnlyWhileTheBucketIsEmpty() {
    PoolScheduler limited = new PoolScheduler(300_000, 1);
    limited.upsertWorker(worker("w").slots(5).build());
    limited.offer(attempt("a").build());
    limited.offer(attempt("b").build());
    limited.dispatch(0);
    assertEquals(BlockReason.RATE_LIMIT, limited.explain("b", 500).orElseThrow());
    assertEquals(BlockReason.CAPACITY_FULL, limited.explain("b", 1_000).orElseThrow(),
        "a token is there: it is only waiting for the next dispatch");
  }

  @Test
  void pullWorkerWithoutCreditMeansCapacityFull() {
    scheduler.upsertWorker(worker("http").pull().build());
    scheduler.offer(attempt("a").build());
    scheduler.dispatch(0);
    assertEquals(BlockReason.CAPACITY_FULL, scheduler.explain("a", 0).orElseThrow());
  }

  @Test
  void wireNamesMatchTheApi() {
    assertEquals("queue-paused", BlockReason.QUEUE_PAUSED.wireName());
    assertEquals("no-capable-worker", BlockReason.NO_CAPABLE_WORKER.wireName());
    assertEquals("capacity-full", BlockReason.CAPACITY_FULL.wireName());
    assertEquals("concurrency-key", BlockReason.CONCURRENCY_KEY.wireName());
    assertEquals("rate-limit", BlockReason.RATE_LIMIT.wireName());
  }

  @Test
  void statsCountQueueSlotsAndBacklogPerCapabilityClass() {
    scheduler.upsertWorker(worker("cpu").caps("cpu").slots(3).build());
    scheduler.upsertWorker(worker("gpu").caps("gpu", "high-memory").gpus(1).slots(1).build());
    scheduler.setReportedLoad("cpu", 2);

    scheduler.offer(attempt("run-gpu").needs("gpu", "high-memory").priority(9).at(0).build());
    scheduler.dispatch(0);
    scheduler.offer(attempt("g1").needs("high-memory", "gpu").priority(7).at(1_000).build());
    scheduler.offer(attempt("g2").needs("gpu", "high-memory").memory(32).priority(7).at(4_000).build());
    scheduler.offer(attempt("s1").needs("ssd").priority(3).at(2_000).build());
    scheduler.offer(attempt("n1").type("python").priority(3).at(500).build());
    scheduler.offer(attempt("n2").key("k").priority(3).at(6_000).build());

    SchedulerStats stats = scheduler.stats(10_000);
    assertEquals(5, stats.queued());
    assertEquals(1, stats.running());
    assertEquals(2, stats.workers());
    assertEquals(4, stats.totalSlots());
    assertEquals(1, stats.usedSlots());
    assertEquals(0.75, stats.utilization(), 1e-9); // cpu reports 2 of 3, gpu runs 1 of 1
    assertEquals(Map.of(7, 2, 3, 3), stats.queuedByPriority());
    assertEquals(Map.of(
            "gpu+high-memory", new ClassBacklog(2, 9_000),
            "ssd", new ClassBacklog(1, 8_000),
            "any", new ClassBacklog(2, 9_500)),
        stats.backlogByCapability());
    assertEquals(9_500, stats.oldestQueuedAgeMs());
  }

  @Test
  void statsOfAnEmptyPool() {
    SchedulerStats stats = scheduler.stats(0);
    assertEquals(0, stats.queued());
    assertEquals(0.0, stats.utilization());
    assertTrue(stats.backlogByCapability().isEmpty());
    assertEquals(0, stats.oldestQueuedAgeMs());
  }

  @Test
  void parkedAttemptsStillCountInStats() {
    scheduler.upsertWorker(worker("w").slots(2).build());
    scheduler.offer(attempt("a").key("k").at(0).build());
    scheduler.offer(attempt("b").key("k").at(100).build());
    scheduler.dispatch(200);
    SchedulerStats stats = scheduler.stats(1_000);
    assertEquals(1, stats.queued());
    assertEquals(900, stats.backlogByCapability().get("any").oldestQueuedAgeMs());
  }
}
