package io.gantry.execution;

import io.gantry.persistence.redis.RedisPersistence;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.ExecutionStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets finished executions: their index entries, journal events and snapshots. {@link #clean} serves
 * {@code POST /queue/clean}; {@link #start} runs it periodically for {@code gantry.retention.finished-executions}.
 * Only finished executions are touched, and their entities never write again unless retried, which is why deleting
 * their persistence ids (which start over at 0) is safe.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final List<ExecutionStatus> FINAL = List.of(
      ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED);
  private static final int BATCH = 500;
  private static final int PARALLELISM = 16;
  /** An entity that does not answer in this long is left alone: a finished one gets no more writes anyway. */
  private static final Duration FORGET_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final ExecutionIndex index;
  private final Function<String, RecipientRef<ExecutionProtocol.Command>> executions;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** {@code executions}: the way to an execution's entity, told to leave memory before its history goes. */
  public Retention(ActorSystem<?> system, ExecutionIndex index,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    this.system = system;
    this.index = index;
    this.executions = executions;
  }

  /**
   * Starts the periodic sweep (a node with the orchestrator role calls this once): every
   * {@code retention / 24}, between 1 minute and 1 hour, finished executions older than the retention are forgotten.
   * A zero retention turns it off.
   */
  public Cancellable startSweeps() {
    Duration keep = system.settings().config().getDuration("gantry.retention.finished-executions");
    if (keep.isZero() || keep.isNegative()) {
      return Cancellable.alreadyCancelled();
    }
    Duration every = clamp(keep.dividedBy(24), Duration.ofMinutes(1), Duration.ofHours(1));
    return system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(30), every,
        () -> sweep(keep), system.executionContext());
  }

  /** One pass over every final status; runs are never concurrent on one node. */
  public CompletionStage<Integer> sweep(Duration keep) {
    if (!sweeping.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(0);
    }
    long before = System.currentTimeMillis() - keep.toMillis();
    CompletionStage<Integer> total = CompletableFuture.completedFuture(0);
    for (ExecutionStatus status : FINAL) {
      total = total.thenCompose(sum -> drainAll(status, before).thenApply(n -> sum + n));
    }
    return total.whenComplete((n, e) -> {
      sweeping.set(false);
      if (e != null) {
        log.warn("retention sweep failed (it runs again later): {}", e.getMessage());
      } else if (n > 0) {
        log.info("retention: forgot {} finished execution(s) older than {}", n, keep);
      }
    });
  }

  private CompletionStage<Integer> drainAll(ExecutionStatus status, long before) {
    return clean(status, before, BATCH).thenCompose(n -> n < BATCH
        ? CompletableFuture.completedFuture(n)
        : drainAll(status, before).thenApply(more -> n + more));
  }

  /**
   * Forgets up to {@code limit} executions that finished with {@code status} before {@code endedBefore}, oldest
   * first; answers how many. History goes first, then the index entry, so a failure leaves it findable to retry.
   */
  public CompletionStage<Integer> clean(ExecutionStatus status, long endedBefore, int limit) {
    if (!status.finished()) {
      throw new IllegalArgumentException("only finished executions can be cleaned, not " + status.wireName());
    }
    RedisPersistence persistence = RedisPersistence.get(system);
    return index.finishedBefore(status, endedBefore, limit).thenCompose(ids -> Source.from(ids)
        .mapAsyncUnordered(PARALLELISM, id -> leaveMemory(id)
            .thenCompose(left -> persistence.deletePersistenceId(Execution.persistenceId(id).id()))
            .thenCompose(done -> index.remove(id)).thenApply(v -> 1))
        .runWith(Sink.fold(0, Integer::sum), system));
  }

  /** The entity leaves memory first, so that nothing answers from a history about to be deleted. */
  private CompletionStage<Done> leaveMemory(String executionId) {
    CompletionStage<Done> left = AskPattern.ask(executions.apply(executionId), ExecutionProtocol.Forget::new,
        FORGET_TIMEOUT, system.scheduler());
    return left.exceptionally(e -> Done.getInstance());
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }
}
