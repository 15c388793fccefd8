package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.testkit.Await;
import io.gantry.testkit.TestRedisUrl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two incarnations of one persistent actor in two separate ActorSystems (two clusters on one Redis,
 * or the two sides of a partition): the journal takes the writes of the first to reach a sequence
 * number and refuses the other's, whose actor stops, restarts with backoff, replays what the first
 * stored and can then write after it. Nothing is ever replaced.
 */
class TwoWritersTest {
  /** Generous: the first write of an ActorSystem also starts Lettuce, on a loaded machine. */
  private static final Duration ASK = Duration.ofSeconds(15);
  /** A refused writer answers nothing: its ask can only time out. */
  private static final Duration REFUSED = Duration.ofSeconds(3);

  private ActorTestKit first;
  private ActorTestKit second;

  @BeforeEach
  void start() {
    String prefix = RedisTestSupport.uniquePrefix("two-writers");
    first = ActorTestKit.create("FirstWriter", RedisTestSupport.config(TestRedisUrl.get(), prefix, ""));
    second = ActorTestKit.create("SecondWriter", RedisTestSupport.config(TestRedisUrl.get(), prefix, ""));
  }

  @AfterEach
  void stop() {
    first.shutdownTestKit();
    second.shutdownTestKit();
  }

  @Test
  void theWriterBehindIsRefusedThenReplaysTheOthersHistoryAndWritesAfterIt() throws Exception {
    String pid = RedisTestSupport.uniqueId("execution");
    ActorRef<NumberLog.Command> a = first.spawn(NumberLog.restartingWithBackoff(pid));
    append(first, a, 1);
    append(first, a, 2);

    ActorRef<NumberLog.Command> b = second.spawn(NumberLog.restartingWithBackoff(pid));
    assertEquals(List.of(1, 2), values(second, b));
    append(first, a, 3);

    // b believes sequence nr 3 is free: its persist fails, it answers nothing and stops.
    assertThrows(ExecutionException.class, () -> append(second, b, 30, REFUSED));
    // Restarted by its supervisor, it replays what the first writer stored; its own event is nowhere.
    assertEquals(List.of(1, 2, 3), Await.until(() -> quietly(second, b), List.of(1, 2, 3)::equals,
        Duration.ofSeconds(15), "the refused writer replaying the other's events"));
    append(second, b, 4);
    assertEquals(List.of(1, 2, 3, 4), values(second, b));

    // Now the first is behind: the same happens to it.
    assertThrows(ExecutionException.class, () -> append(first, a, 40, REFUSED));
    assertEquals(List.of(1, 2, 3, 4), Await.until(() -> quietly(first, a), List.of(1, 2, 3, 4)::equals,
        Duration.ofSeconds(15), "the first writer replaying the second's event"));

    // A fresh incarnation reads exactly the accepted history.
    first.stop(a);
    ActorRef<NumberLog.Command> fresh = first.spawn(NumberLog.restartingWithBackoff(pid));
    assertEquals(List.of(1, 2, 3, 4), values(first, fresh));
  }

  private static void append(ActorTestKit kit, ActorRef<NumberLog.Command> ledger, int value)
      throws Exception {
    append(kit, ledger, value, ASK);
  }

  private static void append(
      ActorTestKit kit, ActorRef<NumberLog.Command> ledger, int value, Duration timeout) throws Exception {
    AskPattern.<NumberLog.Command, StatusReply<Done>>ask(
            ledger, replyTo -> new NumberLog.Append(value, replyTo), timeout, kit.scheduler())
        .toCompletableFuture()
        .get(timeout.toSeconds() + 1, TimeUnit.SECONDS);
  }

  private static List<Integer> values(ActorTestKit kit, ActorRef<NumberLog.Command> ledger)
      throws Exception {
    return AskPattern.<NumberLog.Command, List<Integer>>ask(
            ledger, NumberLog.Get::new, ASK, kit.scheduler())
        .toCompletableFuture()
        .get(ASK.toSeconds() + 1, TimeUnit.SECONDS);
  }

  private static List<Integer> quietly(ActorTestKit kit, ActorRef<NumberLog.Command> ledger) {
    try {
      return values(kit, ledger);
    } catch (Exception notYet) {
      throw new IllegalStateException(notYet);
    }
  }
}
