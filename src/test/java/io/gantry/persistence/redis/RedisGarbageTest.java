package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.internal.BinaryFormat;
import io.gantry.persistence.redis.internal.EventRecord;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisKeys;
import io.gantry.persistence.redis.internal.RedisTarget;
import io.gantry.persistence.redis.internal.SerializedPayload;
import io.gantry.persistence.redis.journal.EventCodec;
import io.gantry.persistence.redis.journal.JournalWrite;
import io.gantry.persistence.redis.journal.RedisJournalStore;
import io.gantry.testkit.TestActorSystem;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Garbage under one persistence id's keys fails that id's replay with a clear error, and no other. */
class RedisGarbageTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("RedisGarbageTest", RedisTestSupport::config);
  private static final String PREFIX = pekko.prefix();
  private static final RedisKeys KEYS = new RedisKeys(PREFIX);

  private static ActorSystem system;
  private static JournalWriter writer;
  private static RedisClient client;
  private static StatefulRedisConnection<String, byte[]> redis;

  @BeforeAll
  static void start() {
    system = pekko.classic();
    writer = new JournalWriter(system);
    client = RedisClient.create(TestRedisUrl.get());
    redis = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  @AfterAll
  static void stop() {
    redis.close();
    client.shutdown();
  }

  @Test
  void aTruncatedRecordFailsOnlyItsOwnReplay() {
    String broken = RedisTestSupport.uniqueId("truncated");
    String healthy = RedisTestSupport.uniqueId("healthy");
    writer.write(broken, 1, 3, Set.of());
    writer.write(healthy, 1, 3, Set.of());
    byte[] second = redis.sync().zrangebyscore(KEYS.events(broken), io.lettuce.core.Range.create(2, 2)).get(0);
    redis.sync().zrem(KEYS.events(broken), second);
    redis.sync().zadd(KEYS.events(broken), 2, Arrays.copyOf(second, second.length / 2));

    String error = replayFailure(broken);
    assertTrue(error.contains("event 2 of persistence id " + broken), error);
    assertTrue(error.contains("corrupt event record"), error);
    assertReplaysThree(healthy);
  }

  @Test
  void anUnknownSerializerFailsOnlyItsOwnReplay() {
    String broken = RedisTestSupport.uniqueId("unknown-serializer");
    String healthy = RedisTestSupport.uniqueId("healthy");
    writer.write(healthy, 1, 3, Set.of());
    byte[] record = BinaryFormat.encodeEvent(new EventRecord(
        1, 1L, "writer", "", new SerializedPayload(987654, "", new byte[] {1, 2, 3}), Optional.empty()));
    redis.sync().zadd(KEYS.events(broken), 1, record);
    redis.sync().set(KEYS.highestSequenceNr(broken), "1".getBytes());

    String error = replayFailure(broken);
    assertTrue(error.contains("event 1 of persistence id " + broken), error);
    assertTrue(error.contains("987654"), error);
    assertReplaysThree(healthy);
  }

  private String replayFailure(String persistenceId) {
    TestKit receiver = new TestKit(system);
    writer.journal().tell(
        new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId, receiver.getRef()),
        ActorRef.noSender());
    Object message = receiver.receiveOne(java.time.Duration.ofSeconds(3));
    while (message instanceof JournalProtocol.ReplayedMessage) {
      message = receiver.receiveOne(java.time.Duration.ofSeconds(3));
    }
    assertTrue(message instanceof JournalProtocol.ReplayMessagesFailure, String.valueOf(message));
    return ((JournalProtocol.ReplayMessagesFailure) message).cause().getMessage();
  }

  private void assertReplaysThree(String persistenceId) {
    TestKit receiver = new TestKit(system);
    writer.journal().tell(
        new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId, receiver.getRef()),
        ActorRef.noSender());
    for (long seq = 1; seq <= 3; seq++) {
      assertEquals("e-" + seq, receiver.expectMsgClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    }
    receiver.expectMsgEquals(new JournalProtocol.RecoverySuccess(3));
  }

  @Test
  void aForeignValueUnderOneIdFailsOnlyThatWriteOfAScriptCall() throws Exception {
    String broken = RedisTestSupport.uniqueId("foreign");
    String healthy = RedisTestSupport.uniqueId("beside-foreign");
    redis.sync().set(KEYS.events(broken), "not a sorted set".getBytes());
    ExtendedActorSystem extended = (ExtendedActorSystem) system;
    RedisTarget target =
        RedisTarget.fromPluginConfig(system.settings().config().getConfig("gantry.persistence.redis.journal"));
    RedisJournalStore store =
        new RedisJournalStore(
            RedisConnections.get(system).bytes(target.connection()),
            target.keys(),
            new EventCodec(new PayloadSerialization(extended)),
            system.dispatcher());
    List<Optional<String>> outcomes =
        store.write(List.of(event(store, broken), event(store, healthy))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(outcomes.get(0).orElseThrow().contains("WRONGTYPE"), outcomes.toString());
    assertEquals(Optional.empty(), outcomes.get(1));
    assertEquals(1L, store.highestSequenceNr(healthy).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(0L, store.highestSequenceNr(broken).toCompletableFuture().get(10, TimeUnit.SECONDS), "nothing of the failed write");
    assertEquals(false, redis.sync().sismember(KEYS.persistenceIds(), broken.getBytes()));
  }

  private static JournalWrite event(RedisJournalStore store, String persistenceId) throws Exception {
    return new JournalWrite(
        persistenceId, List.of(store.codec().encode(PersistentRepr.apply("e-1", 1, persistenceId, "", false, null, "w"))));
  }
}
