package io.gantry.node;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/** A node the cluster downed exits non-zero so its supervisor restarts it; a SIGTERM'd one exits 0. */
class NodeExitCodeTest {
  static final Config DEFAULTS = ConfigFactory.load();

  @Test
  void downingAndAFailedJoinExitNonZeroAndOtherReasonsZero() {
    assertEquals(-1, GantryNode.exitCode(DEFAULTS, Optional.of(CoordinatedShutdown.clusterDowningReason())));
    assertEquals(-1, GantryNode.exitCode(DEFAULTS, Optional.of(CoordinatedShutdown.clusterJoinUnsuccessfulReason())));
    assertEquals(0, GantryNode.exitCode(DEFAULTS, Optional.of(CoordinatedShutdown.jvmExitReason())));
    assertEquals(0, GantryNode.exitCode(DEFAULTS, Optional.of(CoordinatedShutdown.clusterLeavingReason())));
    assertEquals(0, GantryNode.exitCode(DEFAULTS, Optional.empty()));
  }

  @Test
  void anOperatorCanChooseTheCodeOfADowning() {
    Config custom = ConfigFactory.parseString("pekko.coordinated-shutdown.reason-overrides {\n"
        + "\"org.apache.pekko.actor.CoordinatedShutdown$ClusterDowningReason$\".exit-code = 75 }")
        .withFallback(DEFAULTS);
    assertEquals(75, GantryNode.exitCode(custom, Optional.of(CoordinatedShutdown.clusterDowningReason())));
  }

  @Test
  void theDefaultDowningIsLeaseMajorityOnTheRedisLease() {
    assertEquals("lease-majority", DEFAULTS.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    String leaseConfig = DEFAULTS.getString("pekko.cluster.split-brain-resolver.lease-majority.lease-implementation");
    assertEquals("io.gantry.lease.RedisLease", DEFAULTS.getConfig(leaseConfig).getString("lease-class"));
    assertEquals("off", DEFAULTS.getString("pekko.cluster.split-brain-resolver.down-all-when-unstable"));
  }
}
