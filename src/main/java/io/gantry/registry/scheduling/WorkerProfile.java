package io.gantry.registry.scheduling;

import java.util.Set;

/**
 * A registered worker as the scheduler sees it.
 *
 * @param jobTypes the types it runs; empty means any type
 * @param pull true for an HTTP worker, which only takes jobs while its long poll gives it credit
 * @param shellCommands null: any shell command; else the only programs (canonical form) its shell jobs may start
 */
public record WorkerProfile(
    String workerId,
    Set<String> capabilities,
    double memoryGB,
    int cpuCores,
    int gpuCount,
    int maxConcurrency,
    Set<String> jobTypes,
    boolean pull,
    Set<String> shellCommands) {

  public WorkerProfile(String workerId, Set<String> capabilities, double memoryGB, int cpuCores, int gpuCount,
      int maxConcurrency, Set<String> jobTypes, boolean pull) {
    this(workerId, capabilities, memoryGB, cpuCores, gpuCount, maxConcurrency, jobTypes, pull, null);
  }

  public WorkerProfile {
    if (workerId == null) {
      throw new IllegalArgumentException("workerId is required");
    }
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    jobTypes = jobTypes == null ? Set.of() : Set.copyOf(jobTypes);
    shellCommands = shellCommands == null ? null : Set.copyOf(shellCommands);
  }
}
