package io.gantry.registry.scheduling;

import java.util.Set;

/**
 * What a job needs from a worker. Null numbers mean "no minimum"; {@code capabilities} holds wire
 * names ("cpu", "gpu", "high-memory", "ssd", "network").
 */
public record JobRequirements(
    Set<String> capabilities, Double minMemoryGB, Integer minCpuCores, boolean requireGpu, Integer minGpuCount) {

  public static final JobRequirements NONE = new JobRequirements(Set.of(), null, null, false, null);

  public JobRequirements {
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
  }
}
