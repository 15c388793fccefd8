package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.architecture.CompiledClasses;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client knows the HTTP API's types and nothing of the node it talks to: the compiled {@code cli} classes depend
 * only on the JDK (with its TLS classes), picocli, Jackson, {@code api} and {@code protocol}; {@code api} only on the JDK, Jackson and
 * {@code protocol} (read from the class files, so an import that slips in fails here).
 */
class CliDependenciesTest {

  @Test
  void theCliDependsOnlyOnTheApiTypes() {
    assertOnly("io.gantry.cli.", List.of("java.", "javax.net.ssl.", "picocli.", "com.fasterxml.jackson.", "io.gantry.cli.",
        "io.gantry.api.", "io.gantry.protocol."), "io.gantry.api.ExecutionAccepted");
  }

  @Test
  void theApiTypesAreRecordsOverTheProtocol() {
    assertOnly("io.gantry.api.", List.of("java.", "com.fasterxml.jackson.annotation.", "io.gantry.api.",
        "io.gantry.protocol."), "io.gantry.protocol.ExecutionStatus");
  }

  private static void assertOnly(String from, List<String> allowed, String expectedTarget) {
    assertEquals(List.of(), CompiledClasses.dependencies(from.replace(".", "\\.") + ".*",
        target -> allowed.stream().noneMatch(target::startsWith), expectedTarget));
  }
}
