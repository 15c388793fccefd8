package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.client.RedisPersistenceException;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.persistence.redis.internal.RedisKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private static final byte[] WRITE_SOURCE = bytes(JournalScripts.WRITE_BATCH.source());

  private final SharedRedisConnection<byte[]> redis;
  private final RedisKeys keys;
  private final EventCodec codec;
  private final Executor decodeExecutor;
  /** KEYS of the write script: the same for every batch. */
  private final String[] writeKeys;
  /** The first ARGV entries of the write script: key names, the same for every batch. */
  private final List<byte[]> writeHeader;

  public RedisJournalStore(SharedRedisConnection<byte[]> redis, RedisKeys keys, EventCodec codec, Executor decodeExecutor) {
    this.redis = redis;
    this.keys = keys;
    this.codec = codec;
    this.decodeExecutor = decodeExecutor;
    this.writeKeys = new String[] {keys.persistenceIds(), keys.tagOrdering()};
    this.writeHeader =
        List.of(
            bytes(keys.tagPrefix()),
            bytes(keys.journalKeyStart()),
            bytes(RedisKeys.EVENTS_SUFFIX),
            bytes(RedisKeys.HIGHEST_SUFFIX),
            bytes(RedisKeys.TAG_REFS_SUFFIX));
  }

  public String address() {
    return redis.address();
  }

  public EventCodec codec() {
    return codec;
  }

  /**
   * Stores a batch of writes in one script call. Each write is all-or-nothing; the result holds one
   * entry per write, in order: empty when stored, else why Redis refused it. The stage fails when the
   * call itself fails (Redis unreachable, timeout): then none of the batch may be assumed stored.
   */
  public CompletionStage<List<Optional<String>>> write(List<JournalWrite> writes) {
    int eventCount = 0;
    for (JournalWrite write : writes) {
      eventCount += write.events().size();
    }
    List<byte[]> args = new ArrayList<>(writeHeader.size() + writes.size() * 2 + eventCount * 3);
    args.addAll(writeHeader);
    for (JournalWrite write : writes) {
      args.add(bytes(write.persistenceId()));
      int lengthAt = args.size();
      args.add(null); // the number of ARGV entries of this write, known once they are added
      for (EncodedEvent event : write.events()) {
        args.add(ascii(event.sequenceNr()));
        args.add(event.record());
        args.add(ascii(event.tags().size()));
        event.tags().forEach(tag -> args.add(bytes(tag)));
      }
      args.set(lengthAt, ascii(args.size() - lengthAt - 1));
    }
    String operation =
        writes.size() == 1
            ? "write events of " + writes.get(0).persistenceId()
            : "write events of " + writes.size() + " journal writes";
    byte[][] argv = args.toArray(byte[][]::new);
    // EVAL, not EVALSHA with a fallback: after Redis lost its script cache, the fallback would resend a
    // batch after a later one had gone through, and the script refuses a write that comes after a later
    // one of its persistence id. The body costs about 2 KB per call, a call carries up to a batch.
    return redis.<List<Object>>run(operation, r -> r.eval(WRITE_SOURCE, ScriptOutputType.MULTI, writeKeys, argv))
        .thenApply(results -> outcomes(writes, results));
  }

  private List<Optional<String>> outcomes(List<JournalWrite> writes, List<Object> results) {
    if (results == null || results.size() != writes.size()) {
      throw new RedisPersistenceException(
          "Redis at " + redis.address() + ": the write script answered " + (results == null ? "nothing" : results.size() + " results")
              + " for " + writes.size() + " writes");
    }
    List<Optional<String>> outcomes = new ArrayList<>(results.size());
    for (Object result : results) {
      outcomes.add(
          result instanceof Long
              ? Optional.empty()
              : Optional.of(result instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(result)));
    }
    return outcomes;
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

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
