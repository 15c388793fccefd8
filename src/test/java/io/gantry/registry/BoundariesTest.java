package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.architecture.CompiledClasses;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The registry and the cluster worker talk only through the protocol: neither depends on the other, on the
 * Execution's package, on the HTTP layer or on the facade (read from the compiled classes). And each shows
 * other packages only what they use: the entity's sharding entry, its settings, the job handler SPI, the agent's
 * creation, and what the HTTP workers' runtime shares with the agent.
 */
class BoundariesTest {
  /** Dependencies of the classes of {@code packageRegex} on classes matching {@code forbidden}. */
  static List<String> dependencies(String packageRegex, Pattern forbidden, String expectedTarget) {
    return CompiledClasses.dependencies(packageRegex, to -> forbidden.matcher(to).lookingAt(), expectedTarget);
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
  void onlyWhatOtherPackagesUseIsPublic() {
    assertEquals(Set.of("WorkerRegistry", "RegistrySettings"), CompiledClasses.publicTypes("io.gantry.registry"));
    assertEquals(Set.of("WorkerAgent", "JobHandler", "JobContext", "JobOutcome", "AttemptReporter", "AttemptResult"),
        CompiledClasses.publicTypes("io.gantry.worker"));
    assertEquals(Set.of("BuiltInHandlers"), CompiledClasses.publicTypes("io.gantry.worker.handlers"));
    assertEquals(Set.of("RemoteWorkers", "ClusterAccess"), CompiledClasses.publicTypes("io.gantry.worker.remote"));
  }
}
