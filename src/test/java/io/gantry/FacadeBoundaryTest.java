package io.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.architecture.CompiledClasses;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The edges depend on the actors, never the reverse: no class of the actors' packages (execution, registry, worker)
 * or of the protocol refers to the facade's package, the internal plumbing, the HTTP layer or the node. Read from
 * the compiled classes' constant pools, where every type a class uses is named.
 */
class FacadeBoundaryTest {

  @Test
  void theActorsAndTheProtocolDoNotKnowTheEdges() {
    assertEquals(List.of(), CompiledClasses.dependencies(
        "io\\.gantry\\.(execution|registry|worker|protocol)\\.(?!.*package-info$).*",
        used -> used.startsWith("io.gantry.internal.") || used.startsWith("io.gantry.http.")
            || used.startsWith("io.gantry.node.") || isInRootPackage(used),
        "io.gantry.protocol.ExecutionProtocol$Command"));
  }

  @Test
  void theFacadeIsTheOnlyPublicTypeOfItsPackage() {
    assertEquals(Set.of("Gantry"), CompiledClasses.publicTypes("io.gantry"));
  }

  private static boolean isInRootPackage(String className) {
    return className.startsWith("io.gantry.") && className.indexOf('.', "io.gantry.".length()) < 0;
  }
}
