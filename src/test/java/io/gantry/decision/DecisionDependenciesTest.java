package io.gantry.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The decision knows nothing of actors, the journal or the Execution: its compiled classes depend only on the JDK,
 * the DAG model and the protocol's status enums (read by jdeps, so an import that slips in fails here).
 */
class DecisionDependenciesTest {

  private static final List<String> ALLOWED_PACKAGES =
      List.of("java.", "io.gantry.dag.", "io.gantry.decision.", "io.gantry.protocol.");

  @Test
  void dependsOnNeitherPekkoNorTheActorPackages() throws Exception {
    Path classes = Path.of(Decider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out),
        "-verbose:class", "-include", "io\\.gantry\\.decision\\..*", classes.toString());
    assertEquals(0, rc, out::toString);

    List<String> seen = new ArrayList<>();
    List<String> forbidden = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3 || !parts[1].equals("->") || !parts[0].startsWith("io.gantry.decision.")) {
        continue;
      }
      String target = parts[2];
      seen.add(target);
      if (ALLOWED_PACKAGES.stream().noneMatch(target::startsWith)) {
        forbidden.add(parts[0] + " -> " + target);
      }
    }
    assertTrue(seen.contains("io.gantry.dag.Dag"), () -> "jdeps output not understood:\n" + out);
    assertEquals(List.of(), forbidden);
  }
}
