package io.gantry.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * A node whose actor system cannot stop (an actor stuck in its stop) is halted with the shutdown's exit code once
 * {@code gantry.node.shutdown-bound} has passed, instead of living on after being downed; one that stops in time is
 * not halted.
 */
class ShutdownBoundTest {

  private static ActorSystem<Void> system(Behavior<Void> guardian, String name) {
    return ActorSystem.create(guardian, name, ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.coordinated-shutdown.phases.actor-system-terminate.timeout = 1s
        pekko.coordinated-shutdown.reason-overrides {
          "org.apache.pekko.actor.CoordinatedShutdown$ClusterDowningReason$" { exit-code = -1 }
        }
        """).withFallback(ConfigFactory.load()));
  }

  @Test
  void aSystemThatDoesNotStopIsHaltedWithTheDowningExitCode() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ActorSystem<Void> stuck = system(Behaviors.<Void>receive(Void.class)
        .onSignal(PostStop.class, s -> {
          release.await(30, TimeUnit.SECONDS); // an actor that does not stop (what the bound guards against)
          return Behaviors.same();
        }).build(), "stuck");
    CompletableFuture<Integer> halted = new CompletableFuture<>();
    try {
      GantryNode.boundShutdown(stuck, Duration.ofSeconds(2), halted::complete);
      CoordinatedShutdown.get(stuck).runAll(CoordinatedShutdown.clusterDowningReason());
      int code = halted.get(20, TimeUnit.SECONDS);
      assertEquals(-1, code, "the exit code configured for being downed (255 as a process status)");
      assertFalse(stuck.getWhenTerminated().toCompletableFuture().isDone(), "halted while the system still hung");
    } finally {
      release.countDown();
      stuck.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSystemThatStopsInTimeIsNotHalted() throws Exception {
    ActorSystem<Void> quick = system(Behaviors.empty(), "quick");
    CompletableFuture<Integer> halted = new CompletableFuture<>();
    GantryNode.boundShutdown(quick, Duration.ofSeconds(2), halted::complete);
    CoordinatedShutdown.get(quick).runAll(CoordinatedShutdown.clusterDowningReason());
    quick.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    Thread.sleep(3000);
    assertNull(halted.getNow(null), "halted although the system had stopped");
  }
}
