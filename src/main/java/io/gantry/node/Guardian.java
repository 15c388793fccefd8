package io.gantry.node;

import com.typesafe.config.Config;
import io.gantry.Gantry;
import io.gantry.execution.ExecutionWaker;
import io.gantry.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Wires a node by its roles: sharding of executions and registries, the worker agent, and the wake-up of work. */
public final class Guardian {
  public static final String ORCHESTRATOR = Gantry.ORCHESTRATOR_ROLE;

  private Guardian() {}

  public static Behavior<Void> create() {
    return Behaviors.setup(ctx -> {
      ActorSystem<?> system = ctx.getSystem();
      Config config = system.settings().config();
      List<String> roles = config.getStringList("gantry.node.roles");
      Gantry.get(system); // starts sharding of executions and registries
      if (roles.contains("worker")) {
        ActorRef<WorkerProtocol.Command> agent = ctx.spawn(WorkerNode.agent(system), "worker");
        leaveOnShutdown(system, agent);
      }
      if (roles.contains(ORCHESTRATOR)) {
        ctx.spawn(ExecutionWaker.create(), "execution-waker");
        io.gantry.execution.Retention.start(system);
      }
      if (roles.contains("api")) {
        io.gantry.http.HttpApi.start(system);
      }
      return Behaviors.empty();
    });
  }

  /** On SIGTERM the worker hands its running attempts back before the node leaves, so none waits for a timeout. */
  private static void leaveOnShutdown(ActorSystem<?> system, ActorRef<WorkerProtocol.Command> agent) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "worker-leave",
        () -> AskPattern.<WorkerProtocol.Command, Done>ask(agent, WorkerProtocol.Leave::new, Duration.ofSeconds(5),
            system.scheduler()).exceptionally(e -> Done.getInstance()));
  }
}
