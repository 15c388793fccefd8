package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.protocol.CborSerializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A burst of first recoveries on a fresh ActorSystem: thousands of persistent actors start before the
 * Redis connection is up, and every one recovers at its first attempt (observation 9 of issue 7).
 */
@Tag("slow")
class RecoveryBurstTest {
  private static final int ACTORS = 2_000;
  private static final Duration ASK = Duration.ofSeconds(90);

  @Test
  void thousandsOfActorsRecoverWhileTheConnectionIsBeingMade() throws Exception {
    Path dir = Files.createTempDirectory("gantry-recovery-burst");
    try (RedisServerProcess redis = new RedisServerProcess(dir)) {
      redis.start();
      String prefix = RedisTestSupport.uniquePrefix("burst");
      String run = RedisTestSupport.uniqueId("tally");

      // 1. Redis accepts the connection but answers nothing until every actor has started recovering.
      redis.pause();
      Recoveries first = new Recoveries();
      ActorTestKit writers = testKit(redis, prefix);
      try {
        List<ActorRef<Tally.Command>> tallies = spawnAll(writers, run, first);
        List<CompletableFuture<StatusReply<Done>>> adds = new ArrayList<>(ACTORS);
        for (int i = 0; i < ACTORS; i++) {
          int value = i;
          adds.add(AskPattern.<Tally.Command, StatusReply<Done>>ask(
                  tallies.get(i), replyTo -> new Tally.Add(value, replyTo), ASK, writers.scheduler())
              .toCompletableFuture());
        }
        Thread.sleep(1_000);
        redis.resume();
        CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).get(ASK.toSeconds(), TimeUnit.SECONDS);
        adds.forEach(add -> assertEquals(StatusReply.ack(), add.join()));
        assertEquals(ACTORS, first.completed.get(), "recoveries completed");
        assertEquals(0, first.failed.get(), "recoveries failed");
      } finally {
        writers.shutdownTestKit();
      }

      // 2. A fresh ActorSystem: the same actors all start at once and replay what they wrote.
      Recoveries second = new Recoveries();
      ActorTestKit readers = testKit(redis, prefix);
      try {
        List<ActorRef<Tally.Command>> tallies = spawnAll(readers, run, second);
        List<CompletableFuture<List<Integer>>> reads = new ArrayList<>(ACTORS);
        for (ActorRef<Tally.Command> tally : tallies) {
          reads.add(AskPattern.<Tally.Command, List<Integer>>ask(tally, Tally.Get::new, ASK, readers.scheduler())
              .toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(ASK.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < ACTORS; i++) {
          assertEquals(List.of(i), reads.get(i).join(), "state of tally " + i);
        }
        assertEquals(ACTORS, second.completed.get(), "recoveries completed");
        assertEquals(0, second.failed.get(), "recoveries failed");
      } finally {
        readers.shutdownTestKit();
      }
    }
  }

  private static ActorTestKit testKit(RedisServerProcess redis, String prefix) {
    return ActorTestKit.create(
        "RecoveryBurstTest",
        RedisTestSupport.config(
            redis.url(),
            prefix,
            """
            gantry.persistence.redis.connection.connect-timeout = 30s
            gantry.persistence.redis.connection.command-timeout = 30s
            gantry.persistence.redis.circuit-breaker.call-timeout = 60s
            pekko.persistence.journal-plugin-fallback.recovery-event-timeout = 60s
            """));
  }

  private static List<ActorRef<Tally.Command>> spawnAll(ActorTestKit testKit, String run, Recoveries recoveries) {
    List<ActorRef<Tally.Command>> tallies = new ArrayList<>(ACTORS);
    for (int i = 0; i < ACTORS; i++) {
      tallies.add(testKit.spawn(new Tally(run + "-" + i, recoveries)));
    }
    return tallies;
  }

  /** Counts the recovery outcomes of the actors of one ActorSystem. */
  private static final class Recoveries {
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
  }

  /** Records numbers; no supervision, so a failed recovery stops it and the test sees it. */
  private static final class Tally extends EventSourcedBehavior<Tally.Command, Tally.Added, List<Integer>> {
    interface Command {}

    record Add(int value, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    record Get(ActorRef<List<Integer>> replyTo) implements Command {}

    record Added(int value) implements CborSerializable {}

    private final Recoveries recoveries;

    Tally(String id, Recoveries recoveries) {
      super(PersistenceId.ofUniqueId(id));
      this.recoveries = recoveries;
    }

    @Override
    public List<Integer> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandler<Command, Added, List<Integer>> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(Add.class, (state, cmd) -> Effect().persist(new Added(cmd.value()))
              .thenReply(cmd.replyTo(), s -> StatusReply.ack()))
          .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
          .build();
    }

    @Override
    public EventHandler<List<Integer>, Added> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(Added.class, (state, event) -> {
            List<Integer> next = new ArrayList<>(state);
            next.add(event.value());
            return List.copyOf(next);
          })
          .build();
    }

    @Override
    public SignalHandler<List<Integer>> signalHandler() {
      return newSignalHandlerBuilder()
          .onSignal(RecoveryCompleted.instance(), state -> recoveries.completed.incrementAndGet())
          .onSignal(RecoveryFailed.class, (state, signal) -> recoveries.failed.incrementAndGet())
          .build();
    }
  }
}
