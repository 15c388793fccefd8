package io.gantry.registry;

import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether a cluster node (by address) is still a member: one removed, downed or exiting has taken its workers with it,
 * so a registry need not wait for them. An unreachable member still counts: the unreachable grace decides for it.
 */
final class NodeMembership implements Predicate<String> {
  private final Cluster cluster;

  NodeMembership(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  @Override
  public boolean test(String address) {
    for (Member m : cluster.state().getMembers()) {
      if (m.address().toString().equals(address)) {
        MemberStatus s = m.status();
        return s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.joining()
            || s == MemberStatus.leaving();
      }
    }
    return false;
  }
}
