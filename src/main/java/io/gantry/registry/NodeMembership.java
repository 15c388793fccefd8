package io.gantry.registry;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether a cluster node (by address) is still a member: one removed, downed or exiting has taken its workers with it,
 * so a registry need not wait for them. An unreachable member still counts: the unreachable grace decides for it.
 * Used on the registry actor's thread only (it is asked for every orphan on each tick).
 */
final class NodeMembership implements Predicate<String> {
  private final Cluster cluster;
  /** The addresses of the live members in {@link #seen}, rebuilt when the cluster's state changes. */
  private Set<String> live = Set.of();
  private ClusterEvent.CurrentClusterState seen;

  NodeMembership(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  @Override
  public boolean test(String address) {
    ClusterEvent.CurrentClusterState state = cluster.state();
    if (state != seen) {
      Set<String> addresses = new HashSet<>();
      for (Member m : state.getMembers()) {
        MemberStatus s = m.status();
        if (s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.joining()
            || s == MemberStatus.leaving()) {
          addresses.add(m.address().toString());
        }
      }
      live = addresses;
      seen = state;
    }
    return live.contains(address);
  }
}
