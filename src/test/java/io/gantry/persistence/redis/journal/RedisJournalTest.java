package io.gantry.persistence.redis.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.RedisTestSupport;
import io.gantry.testkit.TestActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.jdk.javaapi.CollectionConverters;

/** Every rule of Pekko's JournalSpec (persistence-tck 1.7.0), plus the later deleted-prefix rules. */
class RedisJournalTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("RedisJournalTest", RedisTestSupport::config);
  private static ActorSystem system;
  private static ActorRef journal;

  private String pid;
  private String writerUuid;
  private TestKit receiver;

  @BeforeAll
  static void start() {
    system = pekko.classic();
    journal = Persistence.get(system).journalFor("gantry.persistence.redis.journal", ConfigFactory.empty());
  }

  @BeforeEach
  void writeFiveEvents() {
    pid = RedisTestSupport.uniqueId("p");
    writerUuid = UUID.randomUUID().toString();
    receiver = new TestKit(system);
    List<PersistentEnvelope> writes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      writes.add(AtomicWrite.apply(repr(pid, i, "a-" + i)));
    }
    writes.add(AtomicWrite.apply(seq(repr(pid, 4, "a-4"), repr(pid, 5, "a-5"))));
    TestKit probe = new TestKit(system);
    journal.tell(new JournalProtocol.WriteMessages(seq(writes), probe.getRef(), 1), ActorRef.noSender());
    probe.expectMsgEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (int i = 1; i <= 5; i++) {
      JournalProtocol.WriteMessageSuccess success = probe.expectMsgClass(JournalProtocol.WriteMessageSuccess.class);
      assertEquals(i, success.persistent().sequenceNr());
      assertEquals("a-" + i, success.persistent().payload());
    }
  }

  @Test
  void replaysAllMessages() {
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(1, 2, 3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysWithALowerBound() {
    replay(3, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysWithAnUpperBound() {
    replay(1, 3, Long.MAX_VALUE);
    expectReplayed(1, 2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysWithACountLimit() {
    replay(1, Long.MAX_VALUE, 3);
    expectReplayed(1, 2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysWithLowerAndUpperBounds() {
    replay(2, 3, Long.MAX_VALUE);
    expectReplayed(2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysWithBoundsAndACountLimit() {
    replay(2, 5, 2);
    expectReplayed(2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysASingleMessageWhenBoundsAreEqual() {
    replay(2, 2, Long.MAX_VALUE);
    expectReplayed(2);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysASingleMessageWhenTheCountLimitIsOne() {
    replay(2, 4, 1);
    expectReplayed(2);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenTheCountLimitIsZero() {
    replay(2, 4, 0);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenTheLowerBoundIsAboveTheUpperBound() {
    replay(3, 2, Long.MAX_VALUE);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingForAPersistenceIdWithoutEvents() {
    journal.tell(
        new JournalProtocol.ReplayMessages(0, Long.MAX_VALUE, Long.MAX_VALUE, "non-existing-" + pid, receiver.getRef()),
        ActorRef.noSender());
    expectRecoverySuccess(0);
  }

  @Test
  void doesNotReplayDeletedMessagesAndPublishesTheDeleteCommand() {
    TestKit subscriber = new TestKit(system);
    system.getEventStream().subscribe(subscriber.getRef(), JournalProtocol.DeleteMessagesTo.class);
    TestKit deleteProbe = new TestKit(system);
    JournalProtocol.DeleteMessagesTo command = new JournalProtocol.DeleteMessagesTo(pid, 3, deleteProbe.getRef());
    journal.tell(command, ActorRef.noSender());
    subscriber.expectMsgEquals(command);
    deleteProbe.expectMsgEquals(new DeleteMessagesSuccess(3));

    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    deleteProbe.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void keepsTheHighestSequenceNrAfterDeletingMessages() {
    delete(3);
    replay(0, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void keepsTheHighestSequenceNrAfterDeletingEverything() {
    delete(Long.MAX_VALUE);
    replay(0, Long.MAX_VALUE, Long.MAX_VALUE);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysSurvivorsWhenTheLowerBoundIsTheLastDeleted() {
    delete(3);
    replay(3, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenTheUpperBoundIsInsideTheDeletedPrefix() {
    delete(3);
    replay(1, 2, Long.MAX_VALUE);
    expectRecoverySuccess(5);
    replay(1, 3, Long.MAX_VALUE);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysSurvivorsWithinAWindowSpanningTheDeletedPrefix() {
    delete(3);
    replay(1, 4, Long.MAX_VALUE);
    expectReplayed(4);
    expectRecoverySuccess(5);
  }

  @Test
  void rejectsANonSerializableEventAndStoresTheRestOfTheBatch() {
    Object notSerializable = new Object();
    List<PersistentEnvelope> writes = new ArrayList<>();
    for (int i = 6; i <= 8; i++) {
      writes.add(AtomicWrite.apply(repr(pid, i, i == 7 ? notSerializable : "b-" + i)));
    }
    TestKit probe = new TestKit(system);
    journal.tell(new JournalProtocol.WriteMessages(seq(writes), probe.getRef(), 1), ActorRef.noSender());
    probe.expectMsgEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    assertEquals("b-6", probe.expectMsgClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());
    JournalProtocol.WriteMessageRejected rejected = probe.expectMsgClass(JournalProtocol.WriteMessageRejected.class);
    assertEquals(7, rejected.message().sequenceNr());
    assertTrue(rejected.cause() instanceof java.io.NotSerializableException, rejected.cause().toString());
    assertEquals("b-8", probe.expectMsgClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());

    replay(6, Long.MAX_VALUE, Long.MAX_VALUE);
    assertEquals("b-6", receiver.expectMsgClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    assertEquals("b-8", receiver.expectMsgClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    expectRecoverySuccess(8);
  }

  @Test
  void storesAndReplaysMetadataAndTimestamp() {
    PersistentRepr withMeta = repr(pid, 6, "c-6").withMetadata("meta-data").withTimestamp(1234L);
    TestKit probe = new TestKit(system);
    journal.tell(
        new JournalProtocol.WriteMessages(seq(List.<PersistentEnvelope>of(AtomicWrite.apply(withMeta))), probe.getRef(), 1),
        ActorRef.noSender());
    probe.expectMsgEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    probe.expectMsgClass(JournalProtocol.WriteMessageSuccess.class);

    replay(6, 6, 1);
    PersistentRepr replayed = receiver.expectMsgClass(JournalProtocol.ReplayedMessage.class).persistent();
    assertEquals("c-6", replayed.payload());
    assertEquals(writerUuid, replayed.writerUuid());
    assertEquals(1234L, replayed.timestamp());
    assertEquals("meta-data", replayed.metadata().get());
    assertNull(replayed.sender());
    expectRecoverySuccess(6);
  }

  private void replay(long from, long to, long max) {
    journal.tell(new JournalProtocol.ReplayMessages(from, to, max, pid, receiver.getRef()), ActorRef.noSender());
  }

  private void delete(long to) {
    TestKit probe = new TestKit(system);
    journal.tell(new JournalProtocol.DeleteMessagesTo(pid, to, probe.getRef()), ActorRef.noSender());
    probe.expectMsgEquals(new DeleteMessagesSuccess(to));
  }

  private void expectReplayed(long... sequenceNrs) {
    for (long sequenceNr : sequenceNrs) {
      PersistentRepr replayed = receiver.expectMsgClass(JournalProtocol.ReplayedMessage.class).persistent();
      assertEquals(repr(pid, sequenceNr, "a-" + sequenceNr), replayed);
    }
  }

  private void expectRecoverySuccess(long highest) {
    receiver.expectMsgEquals(new JournalProtocol.RecoverySuccess(highest));
  }

  private PersistentRepr repr(String persistenceId, long sequenceNr, Object payload) {
    return PersistentRepr.apply(payload, sequenceNr, persistenceId, "", false, null, writerUuid);
  }

  @SafeVarargs
  private static <T> scala.collection.immutable.Seq<T> seq(T... items) {
    return seq(List.of(items));
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> items) {
    return CollectionConverters.asScala(items).toList();
  }
}
