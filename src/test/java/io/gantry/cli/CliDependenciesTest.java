package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.ApiError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The client knows the HTTP API's types and nothing of the node it talks to: the compiled {@code cli} classes depend
 * only on the JDK, picocli, Jackson, {@code api} and {@code protocol}; {@code api} only on the JDK, Jackson and
 * {@code protocol} (read by jdeps, so an import that slips in fails here).
 */
class CliDependenciesTest {

  @Test
  void theCliDependsOnlyOnTheApiTypes() throws Exception {
    assertOnly("io.gantry.cli.", List.of("java.", "picocli.", "com.fasterxml.jackson.", "io.gantry.cli.",
        "io.gantry.api.", "io.gantry.protocol."), "io.gantry.api.ExecutionAccepted");
  }

  @Test
  void theApiTypesAreRecordsOverTheProtocol() throws Exception {
    assertOnly("io.gantry.api.", List.of("java.", "com.fasterxml.jackson.annotation.", "io.gantry.api.",
        "io.gantry.protocol."), "io.gantry.protocol.ExecutionStatus");
  }

  private static void assertOnly(String from, List<String> allowed, String expectedTarget) throws Exception {
    Path classes = Path.of(ApiError.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out),
        "-verbose:class", "-include", from.replace(".", "\\.") + ".*", classes.toString());
    assertEquals(0, rc, out::toString);

    List<String> seen = new ArrayList<>();
    List<String> forbidden = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3 || !parts[1].equals("->") || !parts[0].startsWith(from)) {
        continue;
      }
      seen.add(parts[2]);
      if (allowed.stream().noneMatch(parts[2]::startsWith)) {
        forbidden.add(parts[0] + " -> " + parts[2]);
      }
    }
    assertTrue(seen.contains(expectedTarget), () -> "jdeps output not understood:\n" + out);
    assertEquals(List.of(), forbidden);
  }
}
