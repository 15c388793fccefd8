package io.gantry.execution;

import io.gantry.Gantry;
import io.gantry.protocol.ExecutionProtocol;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.Behavior;
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

  public static Behavior<Command> create() {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberRemoved::new), ClusterEvent.MemberRemoved.class));
      wakeAll(ctx, "resume");
      return Behaviors.<Command>receive((c, m) -> {
        if (m instanceof MemberRemoved removed) {
          c.getLog().info("member {} removed: resuming its executions", removed.event().member().address());
          timers.startSingleTimer(WakeAll.INSTANCE, SETTLE);
        } else if (m == WakeAll.INSTANCE && oldestOrchestrator(c)) {
          wakeAll(c, "resume after a member left");
        }
        return Behaviors.same();
      });
    }));
  }

  private static void wakeAll(ActorContext<?> ctx, String what) {
    Gantry gantry = Gantry.get(ctx.getSystem());
    LiveExecutions.forEach(ctx.getSystem(), gantry.index(), what, ids -> {
      if (!ids.isEmpty()) {
        log.info("resuming {} unfinished execution(s)", ids.size());
      }
      ids.forEach(id -> gantry.execution(id).tell(ExecutionProtocol.Wake.INSTANCE));
    });
  }

  private static boolean oldestOrchestrator(ActorContext<?> ctx) {
    Cluster cluster = Cluster.get(ctx.getSystem());
    Comparator<Member> age = (a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0;
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up() && m.hasRole(Gantry.ORCHESTRATOR_ROLE))
        .min(age)
        .map(m -> m.equals(cluster.selfMember()))
        .orElse(true);
  }
}
