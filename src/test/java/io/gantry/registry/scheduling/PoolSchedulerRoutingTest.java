package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.Dispatched.ids;
import static io.gantry.registry.scheduling.Dispatched.pairs;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSchedulerRoutingTest {
  private final PoolScheduler scheduler = new PoolScheduler(300_000, 0);

  @Test
  void gpuJobWaitsUntilAGpuWorkerRegisters() {
    scheduler.upsertWorker(worker("cpu-1").caps("cpu").slots(4).build());
    scheduler.offer(attempt("train").needs("gpu").build());
    scheduler.offer(attempt("prep").needs("cpu").build());

    assertEquals(List.of("prep@cpu-1"), pairs(scheduler.dispatch(0)));
    assertTrue(scheduler.isQueued("train"));

    scheduler.upsertWorker(worker("gpu-1").caps("cpu", "gpu").gpus(1).build());
    assertEquals(List.of("train@gpu-1"), pairs(scheduler.dispatch(1)));
  }

  @Test
  void allRequiredCapabilitiesAreNeeded() {
    scheduler.upsertWorker(worker("gpu-only").caps("gpu").gpus(1).build());
    scheduler.offer(attempt("a").needs("gpu", "high-memory").build());
    assertTrue(scheduler.dispatch(0).isEmpty());

    scheduler.upsertWorker(worker("both").caps("gpu", "high-memory", "ssd").gpus(1).build());
    assertEquals(List.of("a@both"), pairs(scheduler.dispatch(0)));
  }

  @Test
  void minimumMemoryCoresAndGpusAreRespected() {
    scheduler.upsertWorker(worker("small").caps("cpu", "gpu").memory(8).cores(2).gpus(1).slots(10).build());
    scheduler.upsertWorker(worker("big").caps("cpu", "gpu").memory(64).cores(32).gpus(4).slots(10).build());
    scheduler.setReportedLoad("big", 9); // so "small" wins whenever it qualifies

    scheduler.offer(attempt("mem").memory(16).build());
    scheduler.offer(attempt("cores").cores(4).build());
    scheduler.offer(attempt("gpus").gpus(2).build());
    scheduler.offer(attempt("gpu").requireGpu().build());
    scheduler.offer(attempt("fits-small").memory(8).cores(2).gpus(1).build());

    assertEquals(List.of("mem@big", "cores@big", "gpus@big", "gpu@small", "fits-small@small"),
        pairs(scheduler.dispatch(0)));
  }

  @Test
  void requireGpuNeedsAtLeastOneGpuEvenWithoutACount() {
    scheduler.upsertWorker(worker("no-gpu").caps("gpu").gpus(0).build());
    scheduler.offer(attempt("g").requireGpu().build());
    assertTrue(scheduler.dispatch(0).isEmpty());
  }

  @Test
  void jobTypesRestrictWhatAWorkerTakes() {
    scheduler.upsertWorker(worker("python-only").types("python").slots(5).build());
    scheduler.offer(attempt("sh").type("shell").build());
    scheduler.offer(attempt("py").type("python").build());
    assertEquals(List.of("py@python-only"), pairs(scheduler.dispatch(0)));

    scheduler.upsertWorker(worker("any-type").slots(5).build());
    assertEquals(List.of("sh@any-type"), pairs(scheduler.dispatch(0)));
  }

  @Test
  void leastUtilizedCapableWorkerGetsTheAttempt() {
    scheduler.upsertWorker(worker("a").slots(4).build());
    scheduler.upsertWorker(worker("b").slots(2).build());
    scheduler.offer(attempt("1").at(1).build());
    scheduler.offer(attempt("2").at(2).build());
    scheduler.offer(attempt("3").at(3).build());
    scheduler.offer(attempt("4").at(4).build());

    // 1: tie at 0 -> id a. 2: b (0) beats a (1/4). 3: a (1/4) beats b (1/2). 4: a (2/4) ties b (1/2), b runs fewer.
    assertEquals(List.of("1@a", "2@b", "3@a", "4@b"), pairs(scheduler.dispatch(0)));
  }

  @Test
  void reportedLoadCountsTowardsUtilization() {
    scheduler.upsertWorker(worker("busy").slots(4).build());
    scheduler.upsertWorker(worker("calm").slots(4).build());
    scheduler.setReportedLoad("busy", 0);
    scheduler.setReportedLoad("calm", 3);
    scheduler.offer(attempt("x").build());
    assertEquals(List.of("x@busy"), pairs(scheduler.dispatch(0)));

    scheduler.setReportedLoad("busy", 4); // full by its own account, yet it has free slots in our books
    scheduler.offer(attempt("y").build());
    assertEquals(List.of("y@calm"), pairs(scheduler.dispatch(0)));
    assertEquals(0.75, scheduler.worker("calm").orElseThrow().utilization());
  }

  @Test
  void aWorkerNeverRunsMoreThanItsSlots() {
    scheduler.upsertWorker(worker("w").slots(2).build());
    for (int i = 0; i < 5; i++) {
      scheduler.offer(attempt("a" + i).at(i).build());
    }
    assertEquals(List.of("a0", "a1"), ids(scheduler.dispatch(0)));
    assertTrue(scheduler.dispatch(1).isEmpty());

    assertEquals("w", scheduler.release("a0").orElseThrow());
    assertEquals(List.of("a2"), ids(scheduler.dispatch(2)));
    assertEquals(List.of("a1", "a2"), List.copyOf(scheduler.worker("w").orElseThrow().runningAttemptIds()));
  }

  @Test
  void pullWorkersOnlyTakeJobsWhileTheyHaveCredit() {
    scheduler.upsertWorker(worker("http").pull().slots(5).build());
    for (int i = 0; i < 4; i++) {
      scheduler.offer(attempt("a" + i).at(i).build());
    }
    assertTrue(scheduler.dispatch(0).isEmpty(), "no open poll, no job");

    scheduler.setPullCredit("http", 3);
    assertEquals(List.of("a0", "a1", "a2"), ids(scheduler.dispatch(1)));
    assertEquals(0, scheduler.worker("http").orElseThrow().pullCredit());
    assertTrue(scheduler.dispatch(2).isEmpty());

    scheduler.setPullCredit("http", 10);
    assertEquals(List.of("a3"), ids(scheduler.dispatch(3)));
  }

  @Test
  void pullCreditIsIgnoredForPushWorkers() {
    scheduler.upsertWorker(worker("push").slots(1).build());
    scheduler.setPullCredit("push", 0);
    scheduler.offer(attempt("a").build());
    assertEquals(List.of("a@push"), pairs(scheduler.dispatch(0)));
  }

  @Test
  void updatingAWorkerKeepsItsRunningAttemptsAndRematchesIt() {
    scheduler.upsertWorker(worker("w").caps("cpu").slots(1).build());
    scheduler.offer(attempt("cpu-job").needs("cpu").build());
    scheduler.offer(attempt("gpu-job").needs("gpu").build());
    assertEquals(List.of("cpu-job@w"), pairs(scheduler.dispatch(0)));

    scheduler.upsertWorker(worker("w").caps("gpu").gpus(1).slots(2).build());
    assertEquals(List.of("cpu-job"), List.copyOf(scheduler.worker("w").orElseThrow().runningAttemptIds()));
    assertEquals(List.of("gpu-job@w"), pairs(scheduler.dispatch(1)));

    scheduler.upsertWorker(worker("w").caps("cpu").slots(2).build());
    scheduler.offer(attempt("gpu-2").needs("gpu").build());
    assertTrue(scheduler.dispatch(2).isEmpty(), "no longer capable of gpu work");
  }

  @Test
  void removingTheOnlyCapableWorkerStopsDispatchForItsClasses() {
    scheduler.upsertWorker(worker("gpu").caps("gpu").gpus(1).slots(2).build());
    scheduler.upsertWorker(worker("cpu").caps("cpu").slots(1).build());
    scheduler.removeWorker("gpu");
    scheduler.offer(attempt("g").needs("gpu").build());
    scheduler.offer(attempt("c").needs("cpu").build());
    assertEquals(List.of("c@cpu"), pairs(scheduler.dispatch(0)));
  }

  @Test
  void manyOneOffRequirementClassesStayCorrectAcrossClassSweeps() {
    scheduler.upsertWorker(worker("w").memory(1_000).slots(1).build());
    for (int round = 0; round < 3; round++) {
      for (int gb = 1; gb <= 100; gb++) {
        String id = round + "-" + gb;
        scheduler.offer(attempt(id).memory(gb).at(gb).build());
        if (gb % 10 != 0) {
          scheduler.withdraw(id);
        }
      }
    }
    scheduler.offer(attempt("too-big").memory(2_000).build());
    scheduler.upsertWorker(worker("x").caps("ssd").memory(4).slots(5).build());
    scheduler.offer(attempt("small").needs("ssd").memory(4).at(0).build());

    List<String> order = new ArrayList<>();
    for (long now = 0; now < 100; now++) {
      scheduler.dispatch(now).forEach(a -> {
        order.add(a.attempt().attemptId() + "@" + a.workerId());
        scheduler.release(a.attempt().attemptId());
      });
    }
    assertEquals(31, order.size());
    assertEquals("small@x", order.get(0));
    assertTrue(order.subList(1, 31).stream().allMatch(s -> s.endsWith("@w")));
    assertEquals(BlockReason.NO_CAPABLE_WORKER, scheduler.explain("too-big", 100).orElseThrow());
  }

  @Test
  void workersAreListedById() {
    scheduler.upsertWorker(worker("b").build());
    scheduler.upsertWorker(worker("a").build());
    assertEquals(List.of("a", "b"), scheduler.workers().stream().map(WorkerView::workerId).toList());
    assertTrue(scheduler.worker("zzz").isEmpty());
  }
}
