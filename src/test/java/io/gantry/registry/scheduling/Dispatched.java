package io.gantry.registry.scheduling;

import java.util.List;

/** Assertion helpers over dispatch results. */
final class Dispatched {
  private Dispatched() {}

  static List<String> ids(List<Assignment> assignments) {
    return assignments.stream().map(a -> a.attempt().attemptId()).toList();
  }

  static List<String> pairs(List<Assignment> assignments) {
    return assignments.stream().map(a -> a.attempt().attemptId() + "@" + a.workerId()).toList();
  }
}
