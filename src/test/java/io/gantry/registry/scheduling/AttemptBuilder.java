package io.gantry.registry.scheduling;

import java.util.Set;

/** Test data: {@code attempt("a").priority(8).at(100).needs("gpu").build()}. */
final class AttemptBuilder {
  private final String id;
  private int priority = 5;
  private long enqueuedAtMs;
  private Set<String> capabilities = Set.of();
  private Double minMemoryGB;
  private Integer minCpuCores;
  private boolean requireGpu;
  private Integer minGpuCount;
  private String concurrencyKey;
  private String type = "shell";

  private AttemptBuilder(String id) {
    this.id = id;
  }

  static AttemptBuilder attempt(String id) {
    return new AttemptBuilder(id);
  }

  AttemptBuilder priority(int value) {
    priority = value;
    return this;
  }

  AttemptBuilder at(long value) {
    enqueuedAtMs = value;
    return this;
  }

  AttemptBuilder needs(String... value) {
    capabilities = Set.of(value);
    return this;
  }

  AttemptBuilder memory(double value) {
    minMemoryGB = value;
    return this;
  }

  AttemptBuilder cores(int value) {
    minCpuCores = value;
    return this;
  }

  AttemptBuilder requireGpu() {
    requireGpu = true;
    return this;
  }

  AttemptBuilder gpus(int value) {
    minGpuCount = value;
    return this;
  }

  AttemptBuilder key(String value) {
    concurrencyKey = value;
    return this;
  }

  AttemptBuilder type(String value) {
    type = value;
    return this;
  }

  QueuedAttempt build() {
    JobRequirements requirements =
        new JobRequirements(capabilities, minMemoryGB, minCpuCores, requireGpu, minGpuCount);
    return new QueuedAttempt(id, "exec-" + id, "job-" + id, type, priority, requirements, concurrencyKey,
        enqueuedAtMs, "offer-" + id);
  }
}
