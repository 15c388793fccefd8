package io.gantry.registry.scheduling;

import java.util.List;

/**
 * The canonical form of what an attempt needs (requirements + job type). Attempts with equal keys
 * form one requirement class: they are matched against workers once, not one by one.
 */
record RequirementKey(List<String> capabilities, double minMemoryGB, int minCpuCores, int minGpuCount, String type,
    String shellProgram) {

  static RequirementKey of(QueuedAttempt attempt) {
    JobRequirements r = attempt.requirements();
    int gpus = Math.max(r.minGpuCount() == null ? 0 : r.minGpuCount(), r.requireGpu() ? 1 : 0);
    return new RequirementKey(
        r.capabilities().stream().sorted().toList(),
        r.minMemoryGB() == null ? 0 : r.minMemoryGB(),
        r.minCpuCores() == null ? 0 : r.minCpuCores(),
        gpus,
        attempt.type(),
        SHELL.equals(attempt.type()) ? attempt.shellProgram() : null);
  }

  static final String SHELL = "shell";

  /** Whether the worker could ever run such an attempt, load aside. */
  boolean admits(WorkerProfile worker) {
    return admitsApartFromShellPolicy(worker)
        && (worker.jobTypes().isEmpty() || (type != null && worker.jobTypes().contains(type)))
        && shellAllowed(worker);
  }

  /** Resources only: for a shell attempt no worker admits, tells whether the workers' shell policy is why. */
  boolean admitsApartFromShellPolicy(WorkerProfile worker) {
    return worker.capabilities().containsAll(capabilities)
        && worker.memoryGB() >= minMemoryGB
        && worker.cpuCores() >= minCpuCores
        && worker.gpuCount() >= minGpuCount;
  }

  private boolean shellAllowed(WorkerProfile worker) {
    return !SHELL.equals(type) || worker.shellCommands() == null
        || (shellProgram != null && worker.shellCommands().contains(shellProgram));
  }

  /** The backlog bucket name for autoscaling: required capabilities joined by '+', or "any". */
  String capabilityClass() {
    return capabilities.isEmpty() ? "any" : String.join("+", capabilities);
  }
}
