package io.gantry.registry.scheduling;

import java.util.Set;

/** Test data: {@code worker("w1").slots(2).caps("cpu", "gpu").gpus(1).build()}. */
final class WorkerBuilder {
  private final String id;
  private Set<String> capabilities = Set.of("cpu");
  private double memoryGB = 16;
  private int cpuCores = 8;
  private int gpuCount;
  private int slots = 1;
  private Set<String> jobTypes = Set.of();
  private boolean pull;

  private WorkerBuilder(String id) {
    this.id = id;
  }

  static WorkerBuilder worker(String id) {
    return new WorkerBuilder(id);
  }

  WorkerBuilder caps(String... value) {
    capabilities = Set.of(value);
    return this;
  }

  WorkerBuilder memory(double value) {
    memoryGB = value;
    return this;
  }

  WorkerBuilder cores(int value) {
    cpuCores = value;
    return this;
  }

  WorkerBuilder gpus(int value) {
    gpuCount = value;
    return this;
  }

  WorkerBuilder slots(int value) {
    slots = value;
    return this;
  }

  WorkerBuilder types(String... value) {
    jobTypes = Set.of(value);
    return this;
  }

  WorkerBuilder pull() {
    pull = true;
    return this;
  }

  WorkerProfile build() {
    return new WorkerProfile(id, capabilities, memoryGB, cpuCores, gpuCount, slots, jobTypes, pull);
  }
}
