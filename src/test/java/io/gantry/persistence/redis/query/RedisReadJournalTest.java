package io.gantry.persistence.redis.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.persistence.redis.JournalWriter;
import io.gantry.persistence.redis.RedisTestSupport;
import io.gantry.testkit.TestActorSystem;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisReadJournalTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("RedisReadJournalTest", RedisTestSupport::config);
  private static ActorSystem system;
  private static RedisReadJournal queries;
  private static JournalWriter writer;

  @BeforeAll
  static void start() {
    system = pekko.classic();
    queries = PersistenceQuery.get(system).getReadJournalFor(RedisReadJournal.class, RedisReadJournal.IDENTIFIER);
    writer = new JournalWriter(system);
  }

  @Test
  void currentEventsByPersistenceIdHonoursBoundsAndCompletes() throws Exception {
    String pid = RedisTestSupport.uniqueId("q");
    writer.write(pid, 1, 5, Set.of());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequenceNrs(queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE).runWith(Sink.seq(), system)));
    assertEquals(List.of(2L, 3L), sequenceNrs(queries.currentEventsByPersistenceId(pid, 2, 3).runWith(Sink.seq(), system)));
    List<EventEnvelope> first = await(queries.currentEventsByPersistenceId(pid, 1, 1).runWith(Sink.seq(), system));
    assertEquals("e-1", first.get(0).event());
    assertEquals(Offset.sequence(1), first.get(0).offset());
    assertTrue(first.get(0).timestamp() > 0);
  }

  @Test
  void eventsByPersistenceIdDeliversEventsWrittenLater() throws Exception {
    String pid = RedisTestSupport.uniqueId("q");
    writer.write(pid, 1, 2, Set.of());
    CompletionStage<List<EventEnvelope>> live = queries.eventsByPersistenceId(pid, 0, Long.MAX_VALUE).take(4).runWith(Sink.seq(), system);
    Thread.sleep(300);
    writer.write(pid, 3, 4, Set.of());
    assertEquals(List.of(1L, 2L, 3L, 4L), sequenceNrs(live));
  }

  @Test
  void currentPersistenceIdsListsEveryWriter() throws Exception {
    String a = RedisTestSupport.uniqueId("ids");
    String b = RedisTestSupport.uniqueId("ids");
    writer.write(a, 1, 1, Set.of());
    writer.write(b, 1, 2, Set.of());
    List<String> ids = await(queries.currentPersistenceIds().runWith(Sink.seq(), system));
    assertTrue(ids.containsAll(List.of(a, b)), ids.toString());
    assertEquals(ids.size(), Set.copyOf(ids).size());
  }

  @Test
  void eventsByTagInWriteOrderFromAnOffset() throws Exception {
    String tag = RedisTestSupport.uniqueId("green");
    String a = RedisTestSupport.uniqueId("tagged");
    String b = RedisTestSupport.uniqueId("tagged");
    writer.write(a, 1, 2, Set.of(tag));
    writer.write(b, 1, 1, Set.of(tag, "other"));
    writer.write(a, 3, 3, Set.of());
    List<EventEnvelope> all = await(queries.currentEventsByTag(tag, Offset.noOffset()).runWith(Sink.seq(), system));
    assertEquals(List.of(a + ":1", a + ":2", b + ":1"), all.stream().map(e -> e.persistenceId() + ":" + e.sequenceNr()).toList());

    List<EventEnvelope> after = await(queries.currentEventsByTag(tag, all.get(0).offset()).runWith(Sink.seq(), system));
    assertEquals(all.subList(1, 3), after);

    CompletionStage<List<EventEnvelope>> live = queries.eventsByTag(tag, all.get(2).offset()).take(1).runWith(Sink.seq(), system);
    writer.write(b, 2, 2, Set.of(tag));
    assertEquals(b + ":2", await(live).get(0).persistenceId() + ":" + await(live).get(0).sequenceNr());
  }

  @Test
  void deletedEventsLeaveTheTagIndex() throws Exception {
    String tag = RedisTestSupport.uniqueId("blue");
    String pid = RedisTestSupport.uniqueId("tagged");
    writer.write(pid, 1, 3, Set.of(tag));
    TestKit probe = new TestKit(system);
    writer.journal().tell(new JournalProtocol.DeleteMessagesTo(pid, 2, probe.getRef()), probe.getRef());
    probe.expectMsgEquals(new DeleteMessagesSuccess(2));
    List<EventEnvelope> left = await(queries.currentEventsByTag(tag, Offset.noOffset()).runWith(Sink.seq(), system));
    assertEquals(List.of(3L), left.stream().map(EventEnvelope::sequenceNr).toList());
  }

  private static List<Long> sequenceNrs(CompletionStage<List<EventEnvelope>> events) throws Exception {
    return await(events).stream().map(EventEnvelope::sequenceNr).toList();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
