package io.gantry.registry.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shell jobs go only to workers whose shell policy allows their program; the others wait as shell-not-allowed. */
class PoolSchedulerShellPolicyTest {
  private final PoolScheduler scheduler = new PoolScheduler(300_000, 0);

  private static QueuedAttempt shell(String id, String program) {
    return new QueuedAttempt(id, "e", id, "shell", 5, JobRequirements.NONE, null, 0, null, program);
  }

  private static WorkerProfile worker(String id, Set<String> types, Set<String> shellCommands) {
    return new WorkerProfile(id, Set.of("cpu"), 16, 8, 0, 4, types, false, shellCommands);
  }

  @Test
  void aShellJobWaitsAsShellNotAllowedUntilAWorkerAllowsItsProgram() {
    scheduler.upsertWorker(worker("no-shell", Set.of("noop", "sleep"), Set.of()));
    scheduler.upsertWorker(worker("echo-only", Set.of("shell", "noop"), Set.of("echo")));
    scheduler.offer(shell("rm", "rm"));
    scheduler.offer(shell("echo", "echo"));
    scheduler.offer(shell("relative", null));

    List<Assignment> out = scheduler.dispatch(0);
    assertEquals(1, out.size(), out::toString);
    assertEquals("echo", out.get(0).attempt().attemptId());
    assertEquals("echo-only", out.get(0).workerId());
    assertEquals(BlockReason.SHELL_NOT_ALLOWED, scheduler.explain("rm", 0).orElseThrow());
    assertEquals(BlockReason.SHELL_NOT_ALLOWED, scheduler.explain("relative", 0).orElseThrow());

    scheduler.upsertWorker(worker("any", Set.of("shell"), null));
    List<String> later = scheduler.dispatch(0).stream().map(a -> a.attempt().attemptId()).sorted().toList();
    assertEquals(List.of("relative", "rm"), later, "a worker without an allow-list takes any program");
  }

  @Test
  void withoutAnyShellPolicyInThePoolTheReasonStaysNoCapableWorker() {
    scheduler.upsertWorker(worker("noop-only", Set.of("noop"), null));
    scheduler.offer(shell("s", "echo"));
    assertTrue(scheduler.dispatch(0).isEmpty());
    assertEquals(BlockReason.NO_CAPABLE_WORKER, scheduler.explain("s", 0).orElseThrow());
  }
}
