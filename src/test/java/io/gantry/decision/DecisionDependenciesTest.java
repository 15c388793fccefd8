package io.gantry.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.architecture.CompiledClasses;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decision knows nothing of actors, the journal or the Execution: its compiled classes depend only on the JDK,
 * the DAG model and the protocol's status enums (read from the class files, so an import that slips in fails here).
 */
class DecisionDependenciesTest {

  private static final List<String> ALLOWED_PACKAGES =
      List.of("java.", "io.gantry.dag.", "io.gantry.decision.", "io.gantry.protocol.");

  @Test
  void dependsOnNeitherPekkoNorTheActorPackages() {
    assertEquals(List.of(), CompiledClasses.dependencies("io\\.gantry\\.decision\\..*",
        target -> ALLOWED_PACKAGES.stream().noneMatch(target::startsWith), "io.gantry.dag.Dag"));
  }
}
