package io.gantry.execution;

import io.gantry.protocol.ExecutionProtocol;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes unfinished executions resume by themselves: at the start of an orchestrator node, and whenever a member
 * leaves the cluster (its executions, with their retry and timeout timers, died with it; sharding starts an entity
 * elsewhere only when something messages it). It wakes every execution of the index's live set; those already
 * running ignore the message. After a removal only the oldest orchestrator does it, so the cluster reads the set once.
 * An index read is one Redis call per wake-up, against a journal write per execution for remember-entities.
 */
public final class ExecutionWaker {
  /** Several removals close together (a split brain decision) make one wake-up. */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(ExecutionWaker.class);

  /** Its own messages only (cluster events through an adapter, and its timer). */
  public sealed interface Command {}

  private record MemberRemoved(ClusterEvent.MemberRemoved event) implements Command {}

  private enum WakeAll implements Command { INSTANCE }

  private ExecutionWaker() {}

  /**
   * The waker of an orchestrator node; {@code role}: the role of the nodes that host executions (after a removal
   * only the oldest of them wakes the executions).
   */
  public static Behavior<Command> create(ExecutionIndex index,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions, String role) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new), ClusterEvent.MemberRemoved.class));
      wakeAll(ctx.getSystem(), index, executions, "resume");
      return Behaviors.<Command>receive((c, m) -> {
        if (m instanceof MemberRemoved removed) {
          c.getLog().info("member {} removed: resuming its executions", removed.event().member().address());
          timers.startSingleTimer(WakeAll.INSTANCE, SETTLE);
        } else if (m == WakeAll.INSTANCE && oldestWithRole(c, role)) {
          wakeAll(c.getSystem(), index, executions, "resume after a member left");
        }
        return Behaviors.same();
      });
    }));
  }

  /**
   * Every unfinished execution offers its queued attempts again and has its running ones tracked (a registry that
   * starts has lost its soft state). Retried until the index answers.
   */
  public static void reofferAll(ActorSystem<?> system, ExecutionIndex index,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    LiveExecutions.forEach(system, index, "ask them for their offers again",
        ids -> ids.forEach(id -> executions.apply(id).tell(ExecutionProtocol.Reoffer.INSTANCE)));
  }

  private static void wakeAll(ActorSystem<?> system, ExecutionIndex index,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions, String what) {
    LiveExecutions.forEach(system, index, what, ids -> {
      if (!ids.isEmpty()) {
        log.info("resuming {} unfinished execution(s)", ids.size());
      }
      ids.forEach(id -> executions.apply(id).tell(ExecutionProtocol.Wake.INSTANCE));
    });
  }

  private static boolean oldestWithRole(ActorContext<?> ctx, String role) {
    Cluster cluster = Cluster.get(ctx.getSystem());
    Comparator<Member> age = (a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0;
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up() && m.hasRole(role))
        .min(age)
        .map(m -> m.equals(cluster.selfMember()))
        .orElse(true);
  }
}
