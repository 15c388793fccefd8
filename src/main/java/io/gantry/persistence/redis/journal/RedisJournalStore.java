package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.internal.RedisKeys;
import io.gantry.persistence.redis.internal.RedisPersistenceException;
import io.gantry.persistence.redis.internal.SharedRedisConnection;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.persistence.PersistentRepr;

/**
 * Events in Redis: written by one Lua script per batch, read in pages of sorted-set ranges. Shared by
 * the journal and the read journal. Decoding runs on {@code decodeExecutor}, not on Lettuce's I/O
 * threads.
 */
public final class RedisJournalStore {
  private static final byte[] PLUS_INFINITY = bytes("+inf");

  private final SharedRedisConnection redis;
  private final RedisKeys keys;
  private final EventCodec codec;
  private final Executor decodeExecutor;

  public RedisJournalStore(SharedRedisConnection redis, RedisKeys keys, EventCodec codec, Executor decodeExecutor) {
    this.redis = redis;
    this.keys = keys;
    this.codec = codec;
    this.decodeExecutor = decodeExecutor;
  }

  public EventCodec codec() {
    return codec;
  }

  /** Stores the events of one persistence id atomically. */
  public CompletionStage<Void> write(String persistenceId, List<EncodedEvent> events) {
    List<byte[]> args = new ArrayList<>(2 + events.size() * 3);
    args.add(bytes(persistenceId));
    args.add(bytes(keys.tagPrefix()));
    for (EncodedEvent event : events) {
      args.add(bytes(Long.toString(event.sequenceNr())));
      args.add(event.record());
      args.add(bytes(Integer.toString(event.tags().size())));
      event.tags().forEach(tag -> args.add(bytes(tag)));
    }
    String[] scriptKeys = {
      keys.events(persistenceId),
      keys.highestSequenceNr(persistenceId),
      keys.tagRefs(persistenceId),
      keys.persistenceIds(),
      keys.tagOrdering()
    };
    return redis.<Long>eval(JournalScripts.WRITE, ScriptOutputType.INTEGER, scriptKeys, args.toArray(byte[][]::new))
        .thenApply(ignored -> null);
  }

  /** Up to {@code limit} events with from <= sequence nr <= to, in order. */
  public CompletionStage<List<PersistentRepr>> read(String persistenceId, long from, long to, int limit) {
    return redis.run(
            "read events of " + persistenceId,
            r -> r.zrangebyscoreWithScores(
                keys.events(persistenceId), Range.create(from, to), Limit.create(0, limit)))
        .thenApplyAsync(page -> decode(persistenceId, page), decodeExecutor);
  }

  /** Calls {@code callback} in order for at most {@code max} events, fetching pages of {@code batchSize}. */
  public CompletionStage<Void> replay(
      String persistenceId, long from, long to, long max, int batchSize, Consumer<PersistentRepr> callback) {
    if (max <= 0 || from > to) {
      return CompletableFuture.completedFuture(null);
    }
    int limit = (int) Math.min(batchSize, max);
    return read(persistenceId, from, to, limit)
        .thenCompose(
            page -> {
              page.forEach(callback);
              if (page.size() < limit) {
                return CompletableFuture.completedFuture(null);
              }
              long last = page.get(page.size() - 1).sequenceNr();
              return replay(persistenceId, last + 1, to, max - page.size(), batchSize, callback);
            });
  }

  public CompletionStage<Long> highestSequenceNr(String persistenceId) {
    return redis.run("read highest sequence nr of " + persistenceId, r -> r.get(keys.highestSequenceNr(persistenceId)))
        .thenApply(value -> value == null ? 0L : Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
  }

  /** Deletes events up to {@code to}; the highest sequence nr stays readable. */
  public CompletionStage<Void> deleteTo(String persistenceId, long to) {
    String[] scriptKeys = {keys.events(persistenceId), keys.tagRefs(persistenceId)};
    return redis.<Long>eval(
            JournalScripts.DELETE_TO, ScriptOutputType.INTEGER, scriptKeys,
            bytes(Long.toString(to)), bytes(persistenceId), bytes(keys.tagPrefix()))
        .thenApply(ignored -> null);
  }

  /** Deletes every event, tag entry and the highest sequence nr of the persistence id. */
  public CompletionStage<Void> deleteAll(String persistenceId) {
    String[] scriptKeys = {
      keys.events(persistenceId),
      keys.tagRefs(persistenceId),
      keys.highestSequenceNr(persistenceId),
      keys.persistenceIds()
    };
    return redis.<Long>eval(
            JournalScripts.DELETE_ALL, ScriptOutputType.INTEGER, scriptKeys,
            PLUS_INFINITY, bytes(persistenceId), bytes(keys.tagPrefix()))
        .thenApply(ignored -> null);
  }

  private List<PersistentRepr> decode(String persistenceId, List<ScoredValue<byte[]>> page) {
    List<PersistentRepr> events = new ArrayList<>(page.size());
    for (ScoredValue<byte[]> stored : page) {
      try {
        events.add(codec.decode(persistenceId, stored.getValue()));
      } catch (Exception e) {
        throw new RedisPersistenceException(
            "Cannot read event " + (long) stored.getScore() + " of persistence id " + persistenceId
                + " from Redis at " + redis.address() + ": " + e.getMessage(), e);
      }
    }
    return events;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
