package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The registry and the cluster worker talk only through the protocol: neither depends on the other, on the
 * Execution's package, on the HTTP layer or on the facade (read by jdeps from the compiled classes). And each shows
 * other packages only what they use: the entity's sharding entry, its settings, the job handler SPI, the agent's
 * creation, and what the HTTP workers' runtime shares with the agent.
 */
class BoundariesTest {
  static final Path CLASSES = classes();

  static Path classes() {
    try {
      return Path.of(WorkerRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Dependencies of the classes of {@code packageRegex} on classes matching {@code forbidden}. */
  static List<String> dependencies(String packageRegex, Pattern forbidden, String expectedTarget) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-include", packageRegex,
        CLASSES.toString());
    assertEquals(0, rc, out::toString);
    List<String> found = new ArrayList<>();
    boolean understood = false;
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3 || !parts[1].equals("->") || !parts[0].matches(packageRegex)) {
        continue;
      }
      understood |= parts[2].equals(expectedTarget);
      if (forbidden.matcher(parts[2]).lookingAt()) {
        found.add(parts[0] + " -> " + parts[2]);
      }
    }
    assertTrue(understood, () -> "jdeps output not understood:\n" + out);
    return found;
  }

  @Test
  void theRegistryKnowsNeitherTheWorkerNorTheExecutionNorTheEdges() {
    assertEquals(List.of(), dependencies("io\\.gantry\\.registry\\..*",
        Pattern.compile("io\\.gantry\\.(worker|execution|http|node|cli)\\.|io\\.gantry\\.[A-Z]"),
        "io.gantry.protocol.RegistryProtocol$Command"));
  }

  @Test
  void theClusterWorkerKnowsNeitherTheRegistryNorTheExecutionNorTheEdges() {
    assertEquals(List.of(), dependencies("io\\.gantry\\.worker\\.(handlers\\.)?[A-Za-z$0-9]+",
        Pattern.compile("io\\.gantry\\.(registry|execution|http|node|cli)\\.|io\\.gantry\\.[A-Z]"),
        "io.gantry.protocol.WorkerProtocol$Command"));
  }

  @Test
  void theHttpWorkersRuntimeKnowsNeitherTheFacadeNorTheEdges() {
    assertEquals(List.of(), dependencies("io\\.gantry\\.worker\\.remote\\..*",
        Pattern.compile("io\\.gantry\\.(http|node|cli|internal)\\.|io\\.gantry\\.Gantry($|\\$)"),
        "io.gantry.worker.AttemptReporter"));
  }

  @Test
  void onlyWhatOtherPackagesUseIsPublic() throws IOException {
    assertEquals(Set.of("WorkerRegistry", "RegistrySettings"), publicTypes("io.gantry.registry"));
    assertEquals(Set.of("WorkerAgent", "JobHandler", "JobContext", "JobOutcome", "AttemptReporter", "AttemptResult"),
        publicTypes("io.gantry.worker"));
    assertEquals(Set.of("BuiltInHandlers"), publicTypes("io.gantry.worker.handlers"));
    assertEquals(Set.of("RemoteWorkers", "ClusterAccess"), publicTypes("io.gantry.worker.remote"));
  }

  static Set<String> publicTypes(String pkg) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(CLASSES.resolve(pkg.replace('.', '/')))) {
      for (Path f : files.toList()) {
        String file = f.getFileName().toString();
        if (!file.endsWith(".class") || file.contains("$") || file.equals("package-info.class")) {
          continue;
        }
        String simple = file.substring(0, file.length() - ".class".length());
        try {
          if (Modifier.isPublic(Class.forName(pkg + "." + simple, false, BoundariesTest.class.getClassLoader())
              .getModifiers())) {
            names.add(simple);
          }
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
