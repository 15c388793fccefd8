package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisPersistence#expectNew}: the recovery of an id said to be new is answered from memory, once; and a hint
 * that is wrong (events stored meanwhile) costs the entity one refused write and a restart, never its history.
 */
class ExpectNewTest {
  private static ActorTestKit testKit;
  private static JournalWriter writer;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("ExpectNewTest", RedisTestSupport.config(RedisTestSupport.uniquePrefix("expect-new")));
    writer = new JournalWriter(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theHintAnswersTheFirstRecoveryOnlyAndRedisTheNext() {
    String pid = RedisTestSupport.uniqueId("hinted");
    writer.write(pid, 1, 3, Set.of());
    RedisPersistence.expectNew(testKit.system(), pid);
    TestKit probe = new TestKit(Adapter.toClassic(testKit.system()));

    // Answered from the hint (Redis holds 3): nothing replayed, highest 0.
    replay(pid, probe);
    probe.expectMsgEquals(new JournalProtocol.RecoverySuccess(0));
    // The hint served once: this one reads Redis.
    replay(pid, probe);
    for (int i = 0; i < 3; i++) {
      probe.expectMsgClass(JournalProtocol.ReplayedMessage.class);
    }
    probe.expectMsgEquals(new JournalProtocol.RecoverySuccess(3));
  }

  @Test
  void anIdReallyNewStartsAtOneAndKeepsWhatItWrites() throws Exception {
    String pid = RedisTestSupport.uniqueId("new");
    RedisPersistence.expectNew(testKit.system(), pid);
    ActorRef<NumberLog.Command> log = testKit.spawn(NumberLog.restartingWithBackoff(pid));
    append(log, 1);
    append(log, 2);
    testKit.stop(log);
    ActorRef<NumberLog.Command> again = testKit.spawn(NumberLog.restartingWithBackoff(pid));
    assertEquals(List.of(1, 2), values(again));
  }

  @Test
  void aWrongHintCostsOneRefusedWriteButNoHistory() throws Exception {
    String pid = RedisTestSupport.uniqueId("wrong");
    ActorRef<NumberLog.Command> first = testKit.spawn(NumberLog.restartingWithBackoff(pid));
    append(first, 1);
    append(first, 2);
    testKit.stop(first);

    RedisPersistence.expectNew(testKit.system(), pid);
    ActorRef<NumberLog.Command> second = testKit.spawn(NumberLog.restartingWithBackoff(pid));
    // Recovered from the (wrong) hint as empty, so its first write has sequence nr 1, which the journal refuses;
    // the entity restarts and recovers from Redis. The refused append is not acknowledged; the next one is.
    try {
      append(second, 3);
    } catch (Exception refused) {
      // expected: the write of sequence nr 1 was refused and the actor restarted
    }
    Thread.sleep(300);
    append(second, 4);
    List<Integer> values = values(second);
    assertEquals(List.of(1, 2), values.subList(0, 2), values.toString());
    assertEquals(4, values.get(values.size() - 1), values.toString());
    assertTrue(values.size() <= 4, values.toString());
    testKit.stop(second);
    ActorRef<NumberLog.Command> third = testKit.spawn(NumberLog.restartingWithBackoff(pid));
    assertEquals(values, values(third));
  }

  private static void replay(String pid, TestKit receiver) {
    writer.journal().tell(new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, pid, receiver.getRef()),
        org.apache.pekko.actor.ActorRef.noSender());
  }

  private static void append(ActorRef<NumberLog.Command> log, int value) throws Exception {
    AskPattern.<NumberLog.Command, StatusReply<Done>>ask(log, r -> new NumberLog.Append(value, r),
        Duration.ofSeconds(3), testKit.scheduler()).toCompletableFuture().get().getValue();
  }

  private static List<Integer> values(ActorRef<NumberLog.Command> log) throws Exception {
    return AskPattern.<NumberLog.Command, List<Integer>>ask(log, NumberLog.Get::new, Duration.ofSeconds(3),
        testKit.scheduler()).toCompletableFuture().get();
  }
}
