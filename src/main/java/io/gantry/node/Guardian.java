package io.gantry.node;

import com.typesafe.config.Config;
import io.gantry.Gantry;
import io.gantry.execution.Execution;
import io.gantry.worker.WorkerAgent;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a node by its roles: sharding of executions and registries, the worker agent, and the wake-up of work. */
public final class Guardian {
  private static final Logger log = LoggerFactory.getLogger(Guardian.class);
  public static final String ORCHESTRATOR = Gantry.ORCHESTRATOR_ROLE;

  private Guardian() {}

  public static Behavior<Void> create() {
    return Behaviors.setup(ctx -> {
      ActorSystem<?> system = ctx.getSystem();
      Config config = system.settings().config();
      List<String> roles = config.getStringList("gantry.node.roles");
      Gantry.get(system); // starts sharding of executions and registries
      if (roles.contains("worker")) {
        ActorRef<WorkerAgent.Command> agent = ctx.spawn(WorkerNode.agent(system), "worker");
        leaveOnShutdown(system, agent);
      }
      if (roles.contains(ORCHESTRATOR)) {
        wakeLiveExecutions(system);
        io.gantry.execution.Retention.start(system);
      }
      if (roles.contains("api")) {
        io.gantry.http.HttpApi.start(system);
      }
      return Behaviors.empty();
    });
  }

  /** Every unfinished execution starts again by itself after a restart: recovery re-offers its jobs. */
  private static void wakeLiveExecutions(ActorSystem<?> system) {
    Gantry gantry = Gantry.get(system);
    gantry.index().liveExecutions().whenComplete((ids, error) -> {
      if (error != null) {
        log.warn("could not list unfinished executions in Redis ({}); they resume when next addressed",
            error.getMessage());
        return;
      }
      if (!ids.isEmpty()) {
        log.info("resuming {} unfinished execution(s)", ids.size());
      }
      ids.forEach(id -> gantry.execution(id).tell(Execution.Wake.INSTANCE));
    });
  }

  /** On SIGTERM the worker hands its running attempts back before the node leaves, so none waits for a timeout. */
  private static void leaveOnShutdown(ActorSystem<?> system, ActorRef<WorkerAgent.Command> agent) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "worker-leave",
        () -> AskPattern.<WorkerAgent.Command, Done>ask(agent, WorkerAgent.Leave::new, Duration.ofSeconds(5),
            system.scheduler()).exceptionally(e -> Done.getInstance()));
  }
}
