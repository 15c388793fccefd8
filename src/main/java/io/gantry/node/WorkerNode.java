package io.gantry.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.gantry.dag.ShellAllowList;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.worker.JobHandler;
import io.gantry.worker.WorkerAgent;
import io.gantry.worker.handlers.BuiltInHandlers;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/** The worker role of a node: its registration (detected resources, overridable by config) and its handlers. */
final class WorkerNode {
  private WorkerNode() {}

  static Behavior<WorkerProtocol.Command> agent(ActorSystem<?> system,
      Function<String, RecipientRef<RegistryProtocol.Command>> registries,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    Config config = system.settings().config();
    Map<String, JobHandler> handlers = handlers(system, config);
    WorkerRegistration registration = registration(system, config, handlers);
    int threads = config.getInt("gantry.worker.job-threads");
    return WorkerAgent.create(
        new WorkerAgent.WorkerSettings(registration, threads > 0 ? threads : registration.maxConcurrency()),
        handlers, registries.apply(registration.pool()), executions);
  }

  static WorkerRegistration registration(ActorSystem<?> system, Config config, Map<String, JobHandler> handlers) {
    WorkerResources resources = WorkerResources.detect();
    List<String> configured = config.getStringList("gantry.worker.capabilities");
    List<String> capabilities = configured.isEmpty() ? resources.capabilities() : configured;
    int configuredSlots = config.getInt("gantry.worker.max-concurrency");
    int slots = configuredSlots > 0 ? configuredSlots : Math.max(1, resources.cpuCores());
    String id = config.getString("gantry.worker.id");
    if (id.isBlank()) {
      id = config.getString("gantry.node.host") + ":" + config.getInt("gantry.node.port");
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = config.getString("gantry.node.host");
    }
    String address = Cluster.get(system).selfMember().address().toString();
    return new WorkerRegistration(id, "cluster", config.getString("gantry.worker.pool"), host,
        ProcessHandle.current().pid(), capabilities, slots, WorkerAgent.jobTypes(handlers),
        new WorkerRegistration.Metadata(resources.cpuCores(), resources.memoryGB(), resources.gpuCount(),
            WorkerNode.class.getPackage().getImplementationVersion(),
            System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " java "
                + System.getProperty("java.version"), shellCommands(config)),
        address);
  }

  /** What the registration says of shell: null (any command), empty (shell disabled) or the allow-list. */
  static List<String> shellCommands(Config config) {
    if (!config.getBoolean("gantry.worker.shell.enabled")) {
      return List.of();
    }
    Set<String> allowed = allowedShellPrograms(config);
    return allowed == null ? null : allowed.stream().sorted().toList();
  }

  /** Null when shell jobs may start any program. */
  private static Set<String> allowedShellPrograms(Config config) {
    List<String> entries = config.getStringList("gantry.worker.shell.allowed-commands");
    return entries.isEmpty() ? null : ShellAllowList.parse(entries, "gantry.worker.shell.allowed-commands");
  }

  /** The built-in handlers plus those named in {@code gantry.worker.handlers { type = "class" }}. */
  static Map<String, JobHandler> handlers(ActorSystem<?> system, Config config) {
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json",
        java.util.Optional.empty());
    Path workRoot = Path.of(config.getString("gantry.worker.work-dir")).toAbsolutePath();
    int tail = (int) config.getBytes("gantry.worker.log-tail-bytes").longValue();
    Map<String, JobHandler> handlers = new LinkedHashMap<>(
        BuiltInHandlers.create(workRoot, tail, mapper, allowedShellPrograms(config)));
    Config custom = config.getConfig("gantry.worker.handlers");
    for (String type : custom.root().keySet()) {
      String className = custom.getString(type);
      try {
        handlers.put(type, (JobHandler) Class.forName(className).getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalArgumentException("gantry.worker.handlers." + type + ": cannot create a JobHandler from "
            + className + " (" + e + ")");
      }
    }
    if (!config.getBoolean("gantry.worker.shell.enabled")) {
      handlers.remove("shell");
    }
    return handlers;
  }

}
