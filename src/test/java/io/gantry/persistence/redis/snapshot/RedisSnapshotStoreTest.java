package io.gantry.persistence.redis.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.RedisTestSupport;
import io.gantry.testkit.TestActorSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.jdk.javaapi.OptionConverters;

/** Every rule of Pekko's SnapshotStoreSpec (persistence-tck 1.7.0), metadata included. */
class RedisSnapshotStoreTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("RedisSnapshotStoreTest", RedisTestSupport::config);
  private static ActorSystem system;
  private static ActorRef store;

  private String pid;
  private TestKit sender;
  private List<SnapshotMetadata> saved;

  @BeforeAll
  static void start() {
    system = pekko.classic();
    store = Persistence.get(system).snapshotStoreFor("gantry.persistence.redis.snapshot", ConfigFactory.empty());
  }

  @BeforeEach
  void saveFiveSnapshots() {
    pid = RedisTestSupport.uniqueId("s");
    sender = new TestKit(system);
    saved = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      saved.add(save(SnapshotMetadata.apply(pid, i + 10), "s-" + i));
    }
  }

  @Test
  void loadsNothingForAnUnknownPersistenceId() {
    load("invalid-" + pid, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
  }

  @Test
  void loadsNothingWhenNoTimestampMatches() {
    load(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, 100), Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
  }

  @Test
  void loadsNothingWhenNoSequenceNrMatches() {
    load(pid, SnapshotSelectionCriteria.create(7, Long.MAX_VALUE), Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
    load(pid, SnapshotSelectionCriteria.latest(), 7);
    expectNothingLoaded(7);
  }

  @Test
  void loadsTheMostRecentSnapshot() {
    load(pid, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    expectLoaded(saved.get(4), "s-5", Long.MAX_VALUE);
  }

  @Test
  void loadsTheMostRecentSnapshotBelowAnUpperSequenceNr() {
    load(pid, SnapshotSelectionCriteria.create(13, Long.MAX_VALUE), Long.MAX_VALUE);
    expectLoaded(saved.get(2), "s-3", Long.MAX_VALUE);
    load(pid, SnapshotSelectionCriteria.latest(), 13);
    expectLoaded(saved.get(2), "s-3", 13);
  }

  @Test
  void loadsTheMostRecentSnapshotWithinSequenceNrAndTimestampBounds() {
    long timestamp = saved.get(2).timestamp();
    load(pid, SnapshotSelectionCriteria.create(13, timestamp), Long.MAX_VALUE);
    expectLoaded(saved.get(2), "s-3", Long.MAX_VALUE);
    load(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, timestamp), 13);
    expectLoaded(saved.get(2), "s-3", 13);
  }

  @Test
  void honoursMinimumSequenceNrAndTimestamp() {
    load(pid, SnapshotSelectionCriteria.create(12, Long.MAX_VALUE, 12, 0), Long.MAX_VALUE);
    expectLoaded(saved.get(1), "s-2", Long.MAX_VALUE);
    load(pid, SnapshotSelectionCriteria.create(11, Long.MAX_VALUE, 0, saved.get(0).timestamp() + 1_000_000), Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
  }

  @Test
  void deletesOneSnapshotBySequenceNrAndPublishesTheCommand() {
    SnapshotMetadata anyTimestamp = SnapshotMetadata.apply(pid, saved.get(2).sequenceNr(), 0L);
    TestKit subscriber = new TestKit(system);
    system.getEventStream().subscribe(subscriber.getRef(), SnapshotProtocol.DeleteSnapshot.class);
    SnapshotProtocol.DeleteSnapshot command = new SnapshotProtocol.DeleteSnapshot(anyTimestamp);
    store.tell(command, sender.getRef());
    subscriber.expectMsgEquals(command);
    sender.expectMsgEquals(new DeleteSnapshotSuccess(anyTimestamp));

    load(pid, SnapshotSelectionCriteria.create(anyTimestamp.sequenceNr(), Long.MAX_VALUE), Long.MAX_VALUE);
    expectLoaded(saved.get(1), "s-2", Long.MAX_VALUE);
  }

  @Test
  void deletesAllSnapshotsWithinSequenceNrAndTimestampBounds() {
    SnapshotMetadata third = saved.get(2);
    SnapshotSelectionCriteria criteria = SnapshotSelectionCriteria.create(third.sequenceNr(), third.timestamp());
    TestKit subscriber = new TestKit(system);
    system.getEventStream().subscribe(subscriber.getRef(), SnapshotProtocol.DeleteSnapshots.class);
    SnapshotProtocol.DeleteSnapshots command = new SnapshotProtocol.DeleteSnapshots(pid, criteria);
    store.tell(command, sender.getRef());
    subscriber.expectMsgEquals(command);
    sender.expectMsgEquals(new DeleteSnapshotsSuccess(criteria));

    load(pid, criteria, Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
    SnapshotMetadata fourth = saved.get(3);
    load(pid, SnapshotSelectionCriteria.create(fourth.sequenceNr(), fourth.timestamp()), Long.MAX_VALUE);
    expectLoaded(fourth, "s-4", Long.MAX_VALUE);
  }

  @Test
  void keepsSnapshotsOutsideTheTimestampBound() {
    SnapshotMetadata fourth = saved.get(3);
    SnapshotSelectionCriteria criteria = SnapshotSelectionCriteria.create(fourth.sequenceNr(), fourth.timestamp() - 1);
    store.tell(new SnapshotProtocol.DeleteSnapshots(pid, criteria), sender.getRef());
    sender.expectMsgEquals(new DeleteSnapshotsSuccess(criteria));

    load(pid, SnapshotSelectionCriteria.create(fourth.sequenceNr(), fourth.timestamp()), Long.MAX_VALUE);
    expectLoaded(fourth, "s-4", Long.MAX_VALUE);
  }

  @Test
  void overwritesASnapshotWithTheSameSequenceNr() {
    SnapshotMetadata fifth = saved.get(4);
    SnapshotMetadata overwritten = save(fifth, "s-5-modified");
    assertEquals(fifth.sequenceNr(), overwritten.sequenceNr());
    load(pid, SnapshotSelectionCriteria.create(fifth.sequenceNr(), Long.MAX_VALUE), Long.MAX_VALUE);
    SelectedSnapshot loaded = loadedSnapshot(Long.MAX_VALUE);
    assertEquals("s-5-modified", loaded.snapshot());
    assertEquals(fifth.sequenceNr(), loaded.metadata().sequenceNr());
  }

  @Test
  void savesASnapshotOfTenThousandBytes() {
    save(SnapshotMetadata.apply(pid, 100), "0".repeat(10_000));
    load(pid, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    assertEquals(10_000, ((String) loadedSnapshot(Long.MAX_VALUE).snapshot()).length());
  }

  @Test
  void storesSnapshotMetadata() {
    save(SnapshotMetadata.apply(pid, 100).withMetadata("fictional metadata"), "snap");
    load(pid, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    SelectedSnapshot loaded = loadedSnapshot(Long.MAX_VALUE);
    assertEquals("snap", loaded.snapshot());
    assertEquals(Optional.of("fictional metadata"), OptionConverters.toJava(loaded.metadata().metadata()));
  }

  private SnapshotMetadata save(SnapshotMetadata metadata, Object snapshot) {
    store.tell(new SnapshotProtocol.SaveSnapshot(metadata, snapshot), sender.getRef());
    return sender.expectMsgClass(SaveSnapshotSuccess.class).metadata();
  }

  private void load(String persistenceId, SnapshotSelectionCriteria criteria, long toSequenceNr) {
    store.tell(new SnapshotProtocol.LoadSnapshot(persistenceId, criteria, toSequenceNr), sender.getRef());
  }

  private SelectedSnapshot loadedSnapshot(long toSequenceNr) {
    SnapshotProtocol.LoadSnapshotResult result = sender.expectMsgClass(SnapshotProtocol.LoadSnapshotResult.class);
    assertEquals(toSequenceNr, result.toSequenceNr());
    return result.snapshot().get();
  }

  private void expectLoaded(SnapshotMetadata metadata, String snapshot, long toSequenceNr) {
    SelectedSnapshot loaded = loadedSnapshot(toSequenceNr);
    assertEquals(metadata, loaded.metadata());
    assertEquals(snapshot, loaded.snapshot());
  }

  private void expectNothingLoaded(long toSequenceNr) {
    SnapshotProtocol.LoadSnapshotResult result = sender.expectMsgClass(SnapshotProtocol.LoadSnapshotResult.class);
    assertEquals(Optional.empty(), OptionConverters.toJava(result.snapshot()));
    assertEquals(toSequenceNr, result.toSequenceNr());
  }
}
