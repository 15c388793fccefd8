package io.gantry.execution;

import io.gantry.persistence.redis.query.RedisReadJournal;
import io.gantry.protocol.AuditEntry;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.PublicEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * An execution's events as a stream: the ones stored so far, then live ones (from the read journal), ending after
 * the execution's final event. A final event followed by more (a retry) is not the end; whether more follow is
 * checked in the journal when a final event is read, so a replay of a retried execution goes on.
 */
public final class ExecutionEvents {
  private final ActorSystem<?> system;
  private final Function<String, CompletionStage<?>> exists;

  /**
   * {@code exists}: looks an execution up (its status, say), failing (GantryException NOT_FOUND) for an unknown
   * one; {@link #source} checks it before it reads the journal.
   */
  public ExecutionEvents(ActorSystem<?> system, Function<String, CompletionStage<?>> exists) {
    this.system = system;
    this.exists = exists;
  }

  /** Looked up when used (Pekko keeps one per system), so a node that never streams never starts it. */
  private RedisReadJournal journal() {
    return PersistenceQuery.get(Adapter.toClassic(system))
        .getReadJournalFor(RedisReadJournal.class, RedisReadJournal.IDENTIFIER);
  }

  /** The stream of an existing execution; fails as {@code exists} does for an unknown one. */
  public Source<PublicEvent, NotUsed> source(String executionId) {
    return Source.completionStage(exists.apply(executionId))
        .flatMapConcat(found -> journalSource(executionId));
  }

  /** The stream without the existence check (callers that have just checked it). */
  public Source<PublicEvent, NotUsed> journalSource(String executionId) {
    String pid = Execution.persistenceId(executionId).id();
    RedisReadJournal journal = journal();
    return journal.eventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
        .mapAsync(1, env -> isLast(journal, pid, env).thenApply(last -> Pair.create(env, last)))
        .takeWhile(p -> !p.second(), true)
        .mapConcat(p -> p.first().event() instanceof ExecutionEvent e
            ? PublicEvents.of(executionId, p.first().sequenceNr(), e)
            : java.util.List.<PublicEvent>of());
  }

  /**
   * The execution's audit trail: its user actions stored so far, oldest first (read from the journal, so it holds
   * across restarts and snapshots). Fails as {@code exists} does for an unknown execution.
   */
  public CompletionStage<java.util.List<AuditEntry>> audit(String executionId) {
    String pid = Execution.persistenceId(executionId).id();
    return exists.apply(executionId).thenCompose(found -> journal()
        .currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
        .mapConcat(env -> env.event() instanceof ExecutionEvent e
            ? AuditTrail.entry(env.sequenceNr(), e).stream().toList()
            : java.util.List.<AuditEntry>of())
        .runWith(Sink.seq(), system));
  }

  /** Runs the stream into {@code subscriber}; cancel it with the subscription's kill switch. */
  public Subscription subscribe(String executionId, ActorRef<PublicEvent> subscriber) {
    Pair<UniqueKillSwitch, CompletionStage<Done>> run = source(executionId)
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(subscriber::tell), Keep.both())
        .run(system);
    return new Subscription(run.first(), run.second());
  }

  /** A running subscription: {@code done} completes after the final event (or fails, e.g. NOT_FOUND). */
  public record Subscription(UniqueKillSwitch killSwitch, CompletionStage<Done> done) {
    public void cancel() {
      killSwitch.shutdown();
    }
  }

  private CompletionStage<Boolean> isLast(RedisReadJournal journal, String pid, EventEnvelope env) {
    if (!isFinal(env.event())) {
      return CompletableFuture.completedFuture(false);
    }
    long next = env.sequenceNr() + 1;
    return journal.currentEventsByPersistenceId(pid, next, next).runWith(Sink.headOption(), system)
        .thenApply(java.util.Optional::isEmpty);
  }

  private static boolean isFinal(Object event) {
    return event instanceof ExecutionEvent.Finished || event instanceof ExecutionEvent.Cancelled;
  }
}
