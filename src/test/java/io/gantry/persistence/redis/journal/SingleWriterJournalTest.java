package io.gantry.persistence.redis.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.RedisTestSupport;
import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisTarget;
import io.gantry.testkit.TestActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.jdk.javaapi.CollectionConverters;

/** The journal refuses a write at a sequence number already stored, whole, and keeps what was there. */
class SingleWriterJournalTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("SingleWriterJournalTest", RedisTestSupport::config);
  private static ActorSystem system;
  private static ActorRef journal;
  private static RedisJournalStore store;

  @BeforeAll
  static void start() {
    system = pekko.classic();
    journal = Persistence.get(system).journalFor("gantry.persistence.redis.journal", ConfigFactory.empty());
    Config config = system.settings().config();
    RedisTarget target = RedisTarget.fromPluginConfig(config.getConfig("gantry.persistence.redis.journal"));
    store =
        new RedisJournalStore(
            RedisConnections.get(system).bytes(target.connection()),
            target.keys(),
            new EventCodec(new PayloadSerialization((ExtendedActorSystem) system)),
            system.dispatcher());
  }

  @Test
  void aWriteAtAStoredSequenceNrFailsWholeAndReplacesNothing() throws Exception {
    String pid = RedisTestSupport.uniqueId("p");
    write(pid, "first", 1, 2, 3);

    JournalProtocol.WriteMessagesFailed failed = writeFails(pid, "second", 3, 4);
    assertEquals(
        "Redis at " + store.address() + ": write events of " + pid + " failed: sequence number 3 of " + pid
            + " already stored: another writer?",
        failed.cause().getMessage());
    assertEquals(List.of("first-1", "first-2", "first-3"), replay(pid));
    assertEquals(3L, highest(pid));

    write(pid, "first", 4);
    assertEquals(List.of("first-1", "first-2", "first-3", "first-4"), replay(pid));
  }

  @Test
  void deletedSequenceNrsAreRefusedToo() {
    String pid = RedisTestSupport.uniqueId("p");
    write(pid, "first", 1, 2, 3);
    TestKit probe = new TestKit(system);
    journal.tell(new JournalProtocol.DeleteMessagesTo(pid, 3, probe.getRef()), ActorRef.noSender());
    probe.expectMsgEquals(TIMEOUT, new DeleteMessagesSuccess(3));

    assertTrue(writeFails(pid, "second", 2).cause().getMessage().contains("sequence number 2 of " + pid + " already stored"));
    assertEquals(List.of(), replay(pid));
    write(pid, "first", 4);
    assertEquals(List.of("first-4"), replay(pid));
  }

  @Test
  void aRefusedGroupLeavesTheOtherGroupsOfItsBatchStored() throws Exception {
    String taken = RedisTestSupport.uniqueId("taken");
    String fresh = RedisTestSupport.uniqueId("fresh");
    write(taken, "first", 1, 2);

    List<Optional<String>> outcomes =
        store.write(List.of(group(fresh, "ok", 1), group(taken, "second", 2, 3), group(fresh, "ok", 2)))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(Optional.empty(), outcomes.get(0));
    assertEquals(Optional.of("sequence number 2 of " + taken + " already stored: another writer?"), outcomes.get(1));
    assertEquals(Optional.empty(), outcomes.get(2));
    assertEquals(List.of("first-1", "first-2"), replay(taken));
    assertEquals(2L, highest(taken));
    assertEquals(List.of("ok-1", "ok-2"), replay(fresh));
  }

  private static JournalWrite group(String pid, String payload, long... sequenceNrs) throws Exception {
    List<EncodedEvent> events = new ArrayList<>();
    for (long seq : sequenceNrs) {
      events.add(store.codec().encode(repr(pid, seq, payload)));
    }
    return new JournalWrite(pid, events);
  }

  /** One AtomicWrite of all {@code sequenceNrs}, as a persistent actor's persistAll sends it. */
  private static void write(String pid, String payload, long... sequenceNrs) {
    TestKit probe = send(pid, payload, sequenceNrs);
    probe.expectMsgEquals(TIMEOUT, JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (long seq : sequenceNrs) {
      assertEquals(seq, probe.expectMsgClass(TIMEOUT, JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());
    }
  }

  private static JournalProtocol.WriteMessagesFailed writeFails(String pid, String payload, long... sequenceNrs) {
    TestKit probe = send(pid, payload, sequenceNrs);
    JournalProtocol.WriteMessagesFailed failed = probe.expectMsgClass(TIMEOUT, JournalProtocol.WriteMessagesFailed.class);
    for (long seq : sequenceNrs) {
      assertEquals(seq, probe.expectMsgClass(TIMEOUT, JournalProtocol.WriteMessageFailure.class).message().sequenceNr());
    }
    return failed;
  }

  private static TestKit send(String pid, String payload, long... sequenceNrs) {
    List<PersistentRepr> events = new ArrayList<>();
    for (long seq : sequenceNrs) {
      events.add(repr(pid, seq, payload));
    }
    List<PersistentEnvelope> writes = List.of(AtomicWrite.apply(CollectionConverters.asScala(events).toList()));
    TestKit probe = new TestKit(system);
    journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(writes).toList(), probe.getRef(), 1), ActorRef.noSender());
    return probe;
  }

  /** The payloads a recovery replays, in order. */
  private static List<String> replay(String pid) {
    TestKit receiver = new TestKit(system);
    journal.tell(new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, pid, receiver.getRef()), ActorRef.noSender());
    List<String> payloads = new ArrayList<>();
    while (true) {
      Object message = receiver.receiveOne(TIMEOUT);
      if (message instanceof JournalProtocol.ReplayedMessage replayed) {
        payloads.add((String) replayed.persistent().payload());
      } else if (message instanceof JournalProtocol.RecoverySuccess) {
        return payloads;
      } else {
        throw new AssertionError("unexpected during replay of " + pid + ": " + message);
      }
    }
  }

  private static long highest(String pid) throws Exception {
    return store.highestSequenceNr(pid).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static PersistentRepr repr(String pid, long seq, Object payload) {
    return PersistentRepr.apply(payload + "-" + seq, seq, pid, "", false, null, "writer-" + payload);
  }
}
