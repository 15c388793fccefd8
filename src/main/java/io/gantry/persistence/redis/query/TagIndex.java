package io.gantry.persistence.redis.query;

import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.persistence.redis.internal.RedisKeys;
import io.gantry.persistence.redis.journal.RedisJournalStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;

/**
 * Reads the tag index: a sorted set per tag whose scores are a global ordering (the query offset)
 * and whose members point at events ("seqNr:persistenceId"). The write script assigns orderings
 * atomically with the events, so an ordering is never seen before a smaller one.
 */
final class TagIndex {
  private final SharedRedisConnection<byte[]> redis;
  private final RedisKeys keys;
  private final RedisJournalStore events;

  TagIndex(SharedRedisConnection<byte[]> redis, RedisKeys keys, RedisJournalStore events) {
    this.redis = redis;
    this.keys = keys;
    this.events = events;
  }

  /** The highest ordering given so far: the end of a "current" tag query. */
  CompletionStage<Long> highestOrdering() {
    return redis.run("read tag ordering", r -> r.get(keys.tagOrdering()))
        .thenApply(value -> value == null ? 0L : Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
  }

  /** Events of the tag with after < ordering <= upTo, at most {@code limit} entries. */
  CompletionStage<Page<Long, EventEnvelope>> page(String tag, long after, long upTo, int limit) {
    Range<Long> range = Range.from(Range.Boundary.excluding(after), Range.Boundary.including(upTo));
    return redis.run(
            "read tag " + tag,
            r -> r.zrangebyscoreWithScores(keys.tag(tag), range, Limit.create(0, limit)))
        .thenCompose(entries -> resolve(entries, after, limit));
  }

  private CompletionStage<Page<Long, EventEnvelope>> resolve(List<ScoredValue<byte[]>> entries, long after, int limit) {
    List<CompletableFuture<List<EventEnvelope>>> lookups = new ArrayList<>(entries.size());
    for (ScoredValue<byte[]> entry : entries) {
      long ordering = (long) entry.getScore();
      String member = new String(entry.getValue(), StandardCharsets.UTF_8);
      int colon = member.indexOf(':');
      long sequenceNr = Long.parseLong(member.substring(0, colon));
      String persistenceId = member.substring(colon + 1);
      // An entry whose event was deleted meanwhile finds nothing and is skipped.
      lookups.add(
          events.read(persistenceId, sequenceNr, sequenceNr, 1)
              .thenApply(found -> found.stream()
                  .map(repr -> new EventEnvelope(Offset.sequence(ordering), persistenceId, sequenceNr,
                      repr.payload(), repr.timestamp(), repr.metadata()))
                  .toList())
              .toCompletableFuture());
    }
    long next = entries.isEmpty() ? after : (long) entries.get(entries.size() - 1).getScore();
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(done -> Page.of(
            next, lookups.stream().flatMap(l -> l.getNow(List.of()).stream()).toList(), entries.size(), limit));
  }
}
