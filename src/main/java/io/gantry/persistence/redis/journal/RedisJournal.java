package io.gantry.persistence.redis.journal;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * The Pekko Persistence journal on Redis. Reads only its own block (the one Pekko passes in, at
 * whatever path the application mounts it; defaults at {@code gantry.persistence.redis.journal}). A
 * thin actor over {@link RedisJournalStore}: it serializes on its own thread and never blocks.
 */
public final class RedisJournal extends AsyncWriteJournal {
  private final RedisJournalStore store;
  private final WriteBatcher batcher;
  private final int replayBatchSize;
  /** The last write of each persistence id still in flight; removed by its own completion. */
  private final Map<String, CompletableFuture<Void>> writesInProgress = new ConcurrentHashMap<>();

  public RedisJournal(Config config) {
    ExtendedActorSystem system = (ExtendedActorSystem) context().system();
    RedisTarget target = RedisTarget.fromPluginConfig(config);
    this.store =
        new RedisJournalStore(
            RedisConnections.get(system).bytes(target.connection()),
            target.keys(),
            new EventCodec(new PayloadSerialization(system)),
            context().dispatcher());
    this.replayBatchSize = config.getInt("replay-batch-size");
    this.batcher =
        new WriteBatcher(
            store::write,
            config.getInt("write-batching.max-calls-in-flight"),
            config.getInt("write-batching.max-events-per-call"),
            store.address(),
            context().dispatcher());
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>(1);
    List<CompletableFuture<Void>> stored = new ArrayList<>(1);
    boolean anyRejected = false;
    for (AtomicWrite write : messages) {
      List<EncodedEvent> encoded;
      try {
        encoded = new ArrayList<>(write.size());
        for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
          encoded.add(store.codec().encode(repr));
        }
      } catch (Exception e) {
        // Rejects this AtomicWrite only; the others of the call are still stored.
        results.add(Optional.of(e));
        anyRejected = true;
        continue;
      }
      results.add(Optional.empty());
      if (encoded.isEmpty()) {
        continue;
      }
      // Each AtomicWrite is its own all-or-nothing write; the batcher keeps their order.
      stored.add(submit(write.persistenceId(), encoded));
    }
    // Pekko reads an empty result as "all stored".
    Iterable<Optional<Exception>> outcome = anyRejected ? results : List.of();
    CompletableFuture<Void> all =
        stored.size() == 1 ? stored.get(0) : CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new));
    // Fails with the write's own error (say, a refused sequence nr), not a CompletionException around it:
    // Pekko logs it in onPersistFailure.
    CompletableFuture<Iterable<Optional<Exception>>> result = new CompletableFuture<>();
    all.whenComplete(
        (done, error) -> {
          if (error == null) {
            result.complete(outcome);
          } else {
            result.completeExceptionally(
                error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
          }
        });
    return FutureConverters.asScala(result);
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return FutureConverters.asScala(store.deleteTo(persistenceId, toSequenceNr));
  }

  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<PersistentRepr> replayCallback) {
    return FutureConverters.asScala(
        store.replay(persistenceId, fromSequenceNr, toSequenceNr, max, replayBatchSize, replayCallback));
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    CompletableFuture<Void> inFlight = writesInProgress.get(persistenceId);
    CompletionStage<Long> highest =
        inFlight == null
            ? store.highestSequenceNr(persistenceId)
            : inFlight.handle((done, error) -> null).thenCompose(ignored -> store.highestSequenceNr(persistenceId));
    return FutureConverters.asScala(highest);
  }

  /** Hands the events to the batcher, remembering the write until it completes. */
  private CompletableFuture<Void> submit(String persistenceId, List<EncodedEvent> events) {
    CompletableFuture<Void> future = batcher.submit(new JournalWrite(persistenceId, events));
    writesInProgress.put(persistenceId, future);
    future.whenComplete((done, error) -> writesInProgress.remove(persistenceId, future));
    return future;
  }
}
