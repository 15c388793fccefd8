package io.gantry.registry.scheduling;

/**
 * Throughput of {@link PoolScheduler} on {@link ScaleScenario}. Run with
 * {@code bench/scheduler-bench} (see that script).
 */
public final class SchedulerBench {
  private SchedulerBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    ScaleScenario scenario = new ScaleScenario(42);
    System.out.printf("%d workers, %d attempts, %d rounds (the first is warm-up)%n",
        ScaleScenario.WORKERS, ScaleScenario.ATTEMPTS, rounds);
    for (int round = 1; round <= rounds; round++) {
      report(round, "dispatch per event", scenario.run(true));
      report(round, "dispatch in batches", scenario.run(false));
    }
  }

  private static void report(int round, String mode, ScaleScenario.Result result) {
    System.out.printf("round %d %-20s offers/s %,12.0f  assignments/s %,12.0f  (%,d dispatch calls, %d ms total)%n",
        round, mode, result.offersPerSecond(), result.assignmentsPerSecond(), result.dispatchCalls(),
        (result.offerNanos() + result.dispatchNanos()) / 1_000_000);
  }
}
