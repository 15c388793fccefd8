package io.gantry.persistence.redis.snapshot;

import io.gantry.persistence.redis.client.RedisPersistenceException;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.persistence.redis.internal.BinaryFormat;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisKeys;
import io.gantry.persistence.redis.internal.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import scala.jdk.javaapi.OptionConverters;

/** Snapshots in Redis: an index sorted by sequence nr plus a hash of records, changed by Lua scripts. */
public final class RedisSnapshots {
  private final SharedRedisConnection<byte[]> redis;
  private final RedisKeys keys;
  private final PayloadSerialization serialization;
  private final Executor decodeExecutor;

  public RedisSnapshots(
      SharedRedisConnection<byte[]> redis, RedisKeys keys, PayloadSerialization serialization, Executor decodeExecutor) {
    this.redis = redis;
    this.keys = keys;
    this.serialization = serialization;
    this.decodeExecutor = decodeExecutor;
  }

  public CompletionStage<Void> save(SnapshotMetadata metadata, Object snapshot) {
    byte[] record;
    try {
      Optional<Object> meta = OptionConverters.toJava(metadata.metadata());
      record =
          BinaryFormat.encodeSnapshot(
              new SnapshotRecord(
                  metadata.sequenceNr(),
                  metadata.timestamp(),
                  serialization.serialize(snapshot),
                  meta.isPresent() ? Optional.of(serialization.serialize(meta.get())) : Optional.empty()));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    return redis.<Long>eval(
            SnapshotScripts.SAVE, ScriptOutputType.INTEGER, keysOf(metadata.persistenceId()),
            number(metadata.sequenceNr()), number(metadata.timestamp()), record)
        .thenApply(ignored -> null);
  }

  public CompletionStage<Optional<SelectedSnapshot>> load(String persistenceId, SnapshotSelectionCriteria criteria) {
    return redis.<byte[]>eval(SnapshotScripts.LOAD, ScriptOutputType.VALUE, keysOf(persistenceId), bounds(criteria))
        .thenApplyAsync(
            stored -> stored == null ? Optional.empty() : Optional.of(decode(persistenceId, stored)),
            decodeExecutor);
  }

  /** Deletes the snapshot with this sequence nr; a timestamp of 0 matches any timestamp. */
  public CompletionStage<Void> delete(SnapshotMetadata metadata) {
    long timestamp = metadata.timestamp();
    return delete(
        metadata.persistenceId(),
        SnapshotSelectionCriteria.create(
            metadata.sequenceNr(),
            timestamp == 0 ? Long.MAX_VALUE : timestamp,
            metadata.sequenceNr(),
            timestamp == 0 ? 0 : timestamp));
  }

  public CompletionStage<Void> delete(String persistenceId, SnapshotSelectionCriteria criteria) {
    return redis.<Long>eval(
            SnapshotScripts.DELETE_MATCHING, ScriptOutputType.INTEGER, keysOf(persistenceId), bounds(criteria))
        .thenApply(ignored -> null);
  }

  /** Deletes every snapshot of the persistence id. */
  public CompletionStage<Void> deleteAll(String persistenceId) {
    String[] all = keysOf(persistenceId);
    return redis.run("delete snapshots of " + persistenceId, r -> r.del(all)).thenApply(ignored -> null);
  }

  private SelectedSnapshot decode(String persistenceId, byte[] stored) {
    try {
      SnapshotRecord record = BinaryFormat.decodeSnapshot(stored);
      SnapshotMetadata metadata = SnapshotMetadata.apply(persistenceId, record.sequenceNr(), record.timestamp());
      if (record.metadata().isPresent()) {
        metadata = metadata.withMetadata(serialization.deserialize(record.metadata().get()));
      }
      return SelectedSnapshot.create(metadata, serialization.deserialize(record.snapshot()));
    } catch (Exception e) {
      throw new RedisPersistenceException(
          "Cannot read a snapshot of persistence id " + persistenceId + " from Redis at " + redis.address()
              + ": " + e.getMessage(), e);
    }
  }

  private String[] keysOf(String persistenceId) {
    return new String[] {keys.snapshotIndex(persistenceId), keys.snapshotData(persistenceId)};
  }

  private static byte[][] bounds(SnapshotSelectionCriteria criteria) {
    return new byte[][] {
      number(criteria.maxSequenceNr()),
      number(criteria.minSequenceNr()),
      number(criteria.maxTimestamp()),
      number(criteria.minTimestamp())
    };
  }

  private static byte[] number(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}
