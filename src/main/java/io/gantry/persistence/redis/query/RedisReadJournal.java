package io.gantry.persistence.redis.query;

import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.journal.EventCodec;
import io.gantry.persistence.redis.journal.RedisJournalStore;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Persistence Query (Java API) over the Redis journal. Live queries poll every
 * {@code refresh-interval}. Offsets: the sequence nr for queries by persistence id, the tag
 * ordering ({@link Sequence}) for queries by tag.
 */
public final class RedisReadJournal
    implements ReadJournal,
        CurrentEventsByPersistenceIdQuery,
        EventsByPersistenceIdQuery,
        CurrentPersistenceIdsQuery,
        CurrentEventsByTagQuery,
        EventsByTagQuery {

  /**
   * The default config path of the read journal, to pass to {@code PersistenceQuery.getReadJournalFor};
   * an application that mounts it elsewhere passes its own path.
   */
  public static final String IDENTIFIER = "gantry.persistence.redis.query";

  private final QuerySettings settings;
  private final SharedRedisConnection<byte[]> redis;
  private final RedisJournalStore events;
  private final TagIndex tags;
  private final PagedSource paged;

  RedisReadJournal(ExtendedActorSystem system, QuerySettings settings) {
    this.settings = settings;
    this.redis = RedisConnections.get(system).bytes(settings.target().connection());
    this.events =
        new RedisJournalStore(
            redis,
            settings.target().keys(),
            new EventCodec(new PayloadSerialization(system)),
            system.dispatchers().lookup(settings.pluginDispatcher()));
    this.tags = new TagIndex(redis, settings.target().keys(), events);
    this.paged = new PagedSource(system, settings.refreshInterval());
  }

  @Override
  public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(
      String persistenceId, long fromSequenceNr, long toSequenceNr) {
    return Source.completionStage(events.highestSequenceNr(persistenceId))
        .flatMapConcat(highest -> byPersistenceId(persistenceId, fromSequenceNr, Math.min(toSequenceNr, highest), false));
  }

  @Override
  public Source<EventEnvelope, NotUsed> eventsByPersistenceId(
      String persistenceId, long fromSequenceNr, long toSequenceNr) {
    return byPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, true);
  }

  @Override
  public Source<String, NotUsed> currentPersistenceIds() {
    ScanArgs args = ScanArgs.Builder.limit(settings.batchSize());
    return paged.pages(
        ScanCursor.INITIAL,
        false,
        cursor ->
            redis.run("scan persistence ids", r -> r.sscan(settings.target().keys().persistenceIds(), cursor, args))
                .thenApply(
                    scan -> {
                      List<String> ids =
                          scan.getValues().stream().map(id -> new String(id, StandardCharsets.UTF_8)).toList();
                      return scan.isFinished() ? Page.finished(scan, ids) : new Page<>(scan, ids, Page.Kind.MORE);
                    }));
  }

  @Override
  public Source<EventEnvelope, NotUsed> currentEventsByTag(String tag, Offset offset) {
    return Source.completionStage(tags.highestOrdering())
        .flatMapConcat(highest -> byTag(tag, offset, highest, false));
  }

  @Override
  public Source<EventEnvelope, NotUsed> eventsByTag(String tag, Offset offset) {
    return byTag(tag, offset, Long.MAX_VALUE, true);
  }

  private Source<EventEnvelope, NotUsed> byPersistenceId(String persistenceId, long from, long to, boolean live) {
    int batch = settings.batchSize();
    return paged.pages(
        from,
        live,
        next -> {
          if (next > to) {
            return CompletableFuture.completedFuture(Page.finished(next, List.of()));
          }
          return events.read(persistenceId, next, to, batch)
              .thenApply(
                  page -> {
                    long after = page.isEmpty() ? next : page.get(page.size() - 1).sequenceNr() + 1;
                    return Page.of(after, page.stream().map(RedisReadJournal::envelope).toList(), page.size(), batch);
                  });
        });
  }

  private Source<EventEnvelope, NotUsed> byTag(String tag, Offset offset, long upTo, boolean live) {
    return paged.pages(startOf(offset), live, after -> tags.page(tag, after, upTo, settings.batchSize()));
  }

  private static long startOf(Offset offset) {
    if (offset instanceof Sequence sequence) {
      return sequence.value();
    }
    if (offset.equals(Offset.noOffset())) {
      return 0L;
    }
    throw new IllegalArgumentException("The Redis read journal takes Sequence offsets or NoOffset, not " + offset);
  }

  private static EventEnvelope envelope(PersistentRepr repr) {
    return new EventEnvelope(
        Offset.sequence(repr.sequenceNr()),
        repr.persistenceId(),
        repr.sequenceNr(),
        repr.payload(),
        repr.timestamp(),
        repr.metadata());
  }
}
