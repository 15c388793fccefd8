package io.gantry.node;

import com.typesafe.config.Config;
import io.gantry.execution.Execution;
import io.gantry.execution.ExecutionIndex;
import io.gantry.execution.ExecutionSettings;
import io.gantry.execution.ExecutionWaker;
import io.gantry.execution.Retention;
import io.gantry.http.HttpApi;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.RegistrySettings;
import io.gantry.registry.WorkerRegistry;
import io.gantry.registry.cluster.ClusterQueueSettings;
import io.gantry.registry.cluster.ClusterQueueStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Wires a node by its roles: sharding of executions and registries (on every node: the orchestrators host them,
 * the others proxy), the worker agent, the wake-up of work and retention, the HTTP API. Each part gets what it
 * needs here; nothing starts by side effect elsewhere.
 */
final class Guardian {
  /** Nodes with this role host the Execution and WorkerRegistry entities. */
  static final String ORCHESTRATOR = "orchestrator";
  /** How long the worker may take to hand its attempts back at shutdown. */
  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);

  private Guardian() {}

  /** {@code wired} completes once everything is started, so that the facade finds the sharding. */
  static Behavior<Void> create(CompletableFuture<Done> wired) {
    return Behaviors.setup(ctx -> {
      ActorSystem<?> system = ctx.getSystem();
      Config config = system.settings().config();
      List<String> roles = config.getStringList("gantry.node.roles");
      ClusterSharding sharding = ClusterSharding.get(system);
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions =
          id -> sharding.entityRefFor(Execution.TYPE_KEY, id);
      Function<String, RecipientRef<RegistryProtocol.Command>> registries =
          pool -> sharding.entityRefFor(WorkerRegistry.TYPE_KEY, pool);
      ExecutionIndex index = ExecutionIndex.of(system);
      RegistrySettings registrySettings = RegistrySettings.from(config);

      Execution.initSharding(system, ExecutionSettings.from(config, index, registries), ORCHESTRATOR);
      WorkerRegistry.initSharding(system, ORCHESTRATOR, registrySettings, ClusterQueueSettings.from(config),
          new ClusterQueueStore(GantryRedis.get(system)), executions,
          () -> ExecutionWaker.reofferAll(system, index, executions));

      Retention retention = new Retention(system, index, executions);
      if (roles.contains("worker")) {
        ActorRef<WorkerProtocol.Command> agent = ctx.spawn(WorkerNode.agent(system, registries, executions), "worker");
        leaveOnShutdown(system, agent);
      }
      if (roles.contains(ORCHESTRATOR)) {
        ctx.spawn(ExecutionWaker.create(index, executions, ORCHESTRATOR), "execution-waker");
        retention.startSweeps();
      }
      if (roles.contains("api")) {
        HttpApi.start(system, index, retention, registrySettings);
      }
      wired.complete(Done.getInstance());
      return Behaviors.empty();
    });
  }

  /** On SIGTERM the worker hands its running attempts back before the node leaves, so none waits for a timeout. */
  private static void leaveOnShutdown(ActorSystem<?> system, ActorRef<WorkerProtocol.Command> agent) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "worker-leave",
        () -> AskPattern.<WorkerProtocol.Command, Done>ask(agent, WorkerProtocol.Leave::new, LEAVE_TIMEOUT,
            system.scheduler()).exceptionally(e -> Done.getInstance()));
  }
}
