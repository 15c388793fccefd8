package io.gantry.lease;

import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/** Whether a lease owner name ({@code system@host:port}, as the SBR names owners) is a member this node reaches. */
final class ReachableMembers {
  private ReachableMembers() {}

  static Predicate<String> of(ExtendedActorSystem system) {
    if (!system.provider().getClass().getName().contains("Cluster")) {
      return owner -> false;
    }
    return owner -> {
      Cluster cluster = Cluster.get(system);
      ClusterEvent.CurrentClusterState state = cluster.state();
      for (Member member : StreamSupport.stream(state.getMembers().spliterator(), false).toList()) {
        if (member.address().hostPort().equals(owner)) {
          boolean live = member.status() == MemberStatus.up() || member.status() == MemberStatus.weaklyUp();
          return live && !state.getUnreachable().contains(member);
        }
      }
      return false;
    };
  }
}
