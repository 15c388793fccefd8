package io.gantry.execution;

import io.gantry.execution.ExecutionEvent.Finished;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Internal;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.WorkerProtocol.ResultsAcknowledged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Entity-level group commit: the reports (started, progress, finished, lost, timeouts, retries due) that reach an
 * Execution while its previous write is in flight are stored together in ONE write, and their acks, replies and
 * side effects run only after it. A busy 1,000-job execution thus pays one journal round trip per batch, not per
 * report; a lone report is written at once.
 *
 * <p>How: a write's {@code thenRun} opens a batch and tells the entity {@link Flush}. Pekko stashes what arrives
 * during a write and hands it over before anything the mailbox receives later, so the Flush comes after every report
 * that arrived meanwhile. Each of those is decided against the state with the batch's earlier reports in it: its
 * events are applied at once through {@link Phase#applyAhead} (the event handler then skips them when the batch is
 * written) and buffered with what must follow their write. The Flush writes the batch. A report that ends the run is
 * written at once with the batch (a finished phase takes other commands); any other command that comes while reports
 * are buffered is stashed until their write, so no answer ever shows a state not yet stored.
 *
 * <p>Results told many per message ({@link #recordAll}) are acknowledged the same way: after the write, ONE
 * {@link ResultsAcknowledged} per worker lists every attempt of the batch decided on.
 *
 * <p>A buffer lost in a crash costs nothing: nothing of it was acknowledged or told, and reporters repeat what was
 * not acknowledged (workers their results; registries their tracking of attempts an Execution believes run).
 * Owned by the entity's thread.
 */
final class GroupCommit {
  /** Writes the reports buffered since the last write (sent by the entity to itself). */
  enum Flush implements Internal { INSTANCE }

  private final ActorRef<Command> self;
  private final ExecutionSideEffects sideEffects;
  private final List<ExecutionEvent> events = new ArrayList<>();
  private final List<Consumer<RunState>> afterWrite = new ArrayList<>();
  /** Attempt ids to acknowledge to each worker once the current write is stored (filled by after-write actions). */
  private final Map<ActorRef<ResultsAcknowledged>, List<String>> acks = new LinkedHashMap<>();
  /** A write completed and its Flush has not come yet: reports join the next batch. */
  private boolean collecting;
  /** Commands wait in the stash for the batch's write. */
  private boolean stashed;
  private boolean recovered;

  GroupCommit(ActorRef<Command> self, ExecutionSideEffects sideEffects) {
    this.self = self;
    this.sideEffects = sideEffects;
  }

  /**
   * Whether this entity recovered before: it was restarted in place after a failed write. Seen with a burst of
   * reports stashed then: the restarted entity handed over one stashed command per write from then on.
   */
  boolean recoveredAgain() {
    boolean again = recovered;
    recovered = true;
    events.clear();
    afterWrite.clear();
    acks.clear();
    collecting = false;
    return again;
  }

  /** Reports are buffered, not stored yet: other commands wait for their write. */
  boolean holdsReports() {
    return !events.isEmpty() || !afterWrite.isEmpty();
  }

  /** A command that is not a report, while reports are buffered: it waits for their write. */
  ReplyEffect<ExecutionEvent, Phase> stash(EffectFactories<ExecutionEvent, Phase> effects) {
    stashed = true;
    return effects.stash();
  }

  /**
   * The outcome of one report in an active run, decided against {@code phase} (the batch's earlier reports in it):
   * {@code decided} events to store and {@code after} (may be null) to run once they are stored, with the state
   * after the write. Stored at once, or buffered for the batch (see the class comment).
   */
  ReplyEffect<ExecutionEvent, Phase> record(EffectFactories<ExecutionEvent, Phase> effects, Phase.Active phase,
      List<ExecutionEvent> decided, Consumer<RunState> after) {
    if (!holdsReports() && decided.isEmpty()) {
      // Decided on stored state alone: nothing waits for a write.
      return after == null ? effects.noReply() : effects.none().thenRun(st -> {
        after.accept(st.run());
        sendAcks();
      }).thenNoReply();
    }
    if (!collecting || endsRun(decided)) {
      return write(effects, decided, after);
    }
    for (ExecutionEvent e : decided) {
      phase.applyAhead(e);
    }
    events.addAll(decided);
    if (after != null) {
      afterWrite.add(after);
    }
    return effects.noReply();
  }

  /** What one report of a batch decided: events to store and what follows their write (may be null). */
  record Decided(List<ExecutionEvent> events, Consumer<RunState> after) {}

  /**
   * Results told in one message by one worker: each decided by {@code decide} against the state with the earlier
   * ones in it, buffered, and acknowledged to {@code ackTo} after their write. Written at once unless a write is in
   * flight (then with its Flush); once one ends the run, the rest are stale and only acknowledged.
   */
  ReplyEffect<ExecutionEvent, Phase> recordAll(EffectFactories<ExecutionEvent, Phase> effects, Phase.Active phase,
      List<ReportFinished> results, ActorRef<ResultsAcknowledged> ackTo,
      BiFunction<Phase.Active, ReportFinished, Decided> decide) {
    boolean ended = false;
    for (ReportFinished r : results) {
      if (!ended) {
        Decided d = decide.apply(phase, r);
        for (ExecutionEvent e : d.events()) {
          phase.applyAhead(e);
        }
        events.addAll(d.events());
        if (d.after() != null) {
          afterWrite.add(d.after());
        }
        ended = endsRun(d.events());
      }
      String attemptId = r.attemptId();
      afterWrite.add(st -> acknowledge(ackTo, attemptId));
    }
    return !collecting || ended ? write(effects, List.of(), null) : effects.noReply();
  }

  private void acknowledge(ActorRef<ResultsAcknowledged> ackTo, String attemptId) {
    if (ackTo != null) {
      acks.computeIfAbsent(ackTo, k -> new ArrayList<>()).add(attemptId);
    }
  }

  private void sendAcks() {
    if (acks.isEmpty()) {
      return;
    }
    acks.forEach((ackTo, ids) -> ackTo.tell(new ResultsAcknowledged(List.copyOf(ids))));
    acks.clear();
  }

  /** The batch's Flush: writes what was buffered; with nothing buffered the batch closes. */
  ReplyEffect<ExecutionEvent, Phase> flush(EffectFactories<ExecutionEvent, Phase> effects) {
    if (!holdsReports()) {
      collecting = false;
      return effects.noReply();
    }
    return write(effects, List.of(), null);
  }

  /** One write of the buffered events then {@code own}; afterwards the actions, then commands stashed meanwhile. */
  private ReplyEffect<ExecutionEvent, Phase> write(EffectFactories<ExecutionEvent, Phase> effects,
      List<ExecutionEvent> own, Consumer<RunState> after) {
    List<ExecutionEvent> written = new ArrayList<>(events.size() + own.size());
    written.addAll(events);
    written.addAll(own);
    List<Consumer<RunState>> actions = new ArrayList<>(afterWrite);
    if (after != null) {
      actions.add(after);
    }
    events.clear();
    afterWrite.clear();
    collecting = false;
    // Unstash only when something waits: a thenUnstashAll over an empty stash wedged an entity restarted after a
    // failed write (ExecutionGroupCommitTest). Cleared once the write is stored: a failed write keeps the stash.
    boolean unstash = stashed;
    EffectBuilder<ExecutionEvent, Phase> effect = written.isEmpty() ? effects.none() : effects.persist(written);
    EffectBuilder<ExecutionEvent, Phase> stored = effect
        .thenRun(st -> {
          RunState run = st.run();
          for (Consumer<RunState> a : actions) {
            a.accept(run);
          }
          sideEffects.afterPersist(run, written);
          sendAcks();
          if (unstash) {
            stashed = false;
          }
          if (!written.isEmpty()) {
            collecting = true;
            self.tell(Flush.INSTANCE);
          }
        });
    if (!unstash) {
      return stored.thenNoReply();
    }
    // The replies were told in thenRun. Pekko's Java DSL types thenUnstashAll as a plain Effect, though its every
    // effect is a ReplyEffect (one without a reply here), so enforced replies take it as such.
    @SuppressWarnings("unchecked")
    ReplyEffect<ExecutionEvent, Phase> unstashing = (ReplyEffect<ExecutionEvent, Phase>) stored.thenUnstashAll();
    return unstashing;
  }

  private static boolean endsRun(List<ExecutionEvent> decided) {
    for (ExecutionEvent e : decided) {
      if (e instanceof Finished) {
        return true;
      }
    }
    return false;
  }
}
