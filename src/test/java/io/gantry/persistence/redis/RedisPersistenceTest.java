package io.gantry.persistence.redis;

import io.gantry.persistence.redis.client.RedisHealth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.query.RedisReadJournal;
import io.gantry.testkit.TestActorSystem;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The public API beside the plugins: retention and health. */
class RedisPersistenceTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("RedisPersistenceTest", RedisTestSupport::config);
  private static ActorSystem system;
  private static JournalWriter writer;
  private static RedisReadJournal queries;

  @BeforeAll
  static void start() {
    system = pekko.classic();
    writer = new JournalWriter(system);
    queries = PersistenceQuery.get(system).getReadJournalFor(RedisReadJournal.class, RedisReadJournal.IDENTIFIER);
  }

  @Test
  void deletePersistenceIdRemovesEverythingOfThatIdOnly() throws Exception {
    String tag = RedisTestSupport.uniqueId("tag");
    String doomed = RedisTestSupport.uniqueId("finished");
    String kept = RedisTestSupport.uniqueId("running");
    writer.write(doomed, 1, 3, Set.of(tag));
    writer.write(kept, 1, 2, Set.of(tag));
    ActorRef snapshots = Persistence.get(system).snapshotStoreFor("gantry.persistence.redis.snapshot", ConfigFactory.empty());
    TestKit probe = new TestKit(system);
    snapshots.tell(new SnapshotProtocol.SaveSnapshot(SnapshotMetadata.apply(doomed, 3), "state"), probe.getRef());
    probe.expectMsgClass(SaveSnapshotSuccess.class);

    await(RedisPersistence.get(system).deletePersistenceId(doomed));

    journalReplay(doomed, probe);
    probe.expectMsgEquals(new JournalProtocol.RecoverySuccess(0));
    snapshots.tell(new SnapshotProtocol.LoadSnapshot(doomed, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE), probe.getRef());
    assertTrue(probe.expectMsgClass(SnapshotProtocol.LoadSnapshotResult.class).snapshot().isEmpty());
    List<String> ids = await(queries.currentPersistenceIds().runWith(Sink.seq(), system));
    assertFalse(ids.contains(doomed), ids.toString());
    assertTrue(ids.contains(kept), ids.toString());
    List<EventEnvelope> tagged = await(queries.currentEventsByTag(tag, Offset.noOffset()).runWith(Sink.seq(), system));
    assertEquals(List.of(kept, kept), tagged.stream().map(EventEnvelope::persistenceId).toList());
    journalReplay(kept, probe);
    probe.expectMsgClass(JournalProtocol.ReplayedMessage.class);
    probe.expectMsgClass(JournalProtocol.ReplayedMessage.class);
    probe.expectMsgEquals(new JournalProtocol.RecoverySuccess(2));
  }

  @Test
  void healthOfTheTestRedis() throws Exception {
    RedisHealth health = await(RedisPersistence.get(system).redisHealth());
    assertTrue(health.reachable(), health.toString());
    assertFalse(health.address().contains("@"), health.address());
    health.maxmemoryPolicy().ifPresent(policy ->
        assertEquals(!policy.equals("noeviction"), health.warnings().stream().anyMatch(w -> w.contains("maxmemory-policy"))));
    await(RedisPersistence.get(system).ping());
  }

  @Test
  void healthOfAnUnreachableRedisNamesItsAddressWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "redis://:secret@127.0.0.1:" + port + "/0";
    ActorSystem down = ActorSystem.create("RedisPersistenceTestDown", RedisTestSupport.config(url, "down:", ""));
    try {
      RedisHealth health = await(RedisPersistence.get(down).redisHealth());
      assertFalse(health.reachable());
      assertTrue(health.warnings().get(0).contains("127.0.0.1:" + port), health.toString());
      ExecutionException ping = assertThrows(ExecutionException.class, () -> await(RedisPersistence.get(down).ping()));
      assertTrue(ping.getCause().getMessage().contains("127.0.0.1:" + port), ping.getCause().getMessage());
      assertFalse(ping.getCause().getMessage().contains("secret"));
    } finally {
      TestKit.shutdownActorSystem(down);
    }
  }

  private static void journalReplay(String persistenceId, TestKit receiver) {
    writer.journal().tell(
        new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId, receiver.getRef()),
        ActorRef.noSender());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
