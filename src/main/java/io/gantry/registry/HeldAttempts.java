package io.gantry.registry;

import io.gantry.execution.Execution;
import io.gantry.worker.WorkerAgent.RunningAttempt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.RecipientRef;

/**
 * Attempts this registry incarnation did not assign: those workers say they hold (adopted), and those Executions
 * believe run that no worker has claimed yet (orphans). An attempt is reported lost only when its worker is gone
 * (taken offline, or still unknown here when a new registry's grace ends) or when that worker itself, registering or
 * heartbeating with the list of what it holds, leaves it out. A registry or journal call that failed for a while
 * therefore never costs a running attempt. Owned by the registry actor; mutable.
 */
final class HeldAttempts {
  /** The deadline of an orphan whose named worker is alive: it waits for that worker to say. */
  private static final long WHEN_WORKER_REPORTS = Long.MAX_VALUE;

  private record Orphan(String executionId, TrackedAttempt attempt, long deadline) {}

  private final Function<String, RecipientRef<Execution.Command>> executions;
  /** Told the id of every attempt reported lost (to free its concurrency key). */
  private final Consumer<String> onLost;
  /** Which worker holds each adopted attempt (the attempts themselves are in {@link WorkerEntry#adopted}). */
  private final Map<String, String> adoptedOwner = new HashMap<>();
  private final Map<String, Orphan> orphans = new HashMap<>();

  HeldAttempts(Function<String, RecipientRef<Execution.Command>> executions, Consumer<String> onLost) {
    this.executions = executions;
    this.onLost = onLost;
  }

  boolean isAdopted(String attemptId) {
    return adoptedOwner.containsKey(attemptId);
  }

  /** The worker that holds an adopted attempt, or null. */
  String ownerOf(String attemptId) {
    return adoptedOwner.get(attemptId);
  }

  /**
   * An Execution believes this attempt runs on {@code named} (null when that worker is not registered here). A live
   * worker settles it on its next report; for a worker unknown or offline it is lost at {@code deadlineIfUnknown}.
   */
  void track(String executionId, TrackedAttempt attempt, WorkerEntry named, long deadlineIfUnknown) {
    long deadline = named != null && !named.offline() ? WHEN_WORKER_REPORTS : deadlineIfUnknown;
    orphans.putIfAbsent(attempt.attemptId(), new Orphan(executionId, attempt, deadline));
  }

  /** The attempt is offered again (so queued): it is no orphan any more. */
  void offered(String attemptId) {
    orphans.remove(attemptId);
  }

  /**
   * What worker {@code w} says it holds (running, or finished with its result not yet acknowledged). Adopted
   * attempts it no longer holds are over; orphans naming it that it does not hold are lost; what it holds is adopted
   * unless {@code assignedHere}. Answers the attempts it holds that no Execution asked about: the caller has their
   * Executions confirm them, and a superseded one (a zombie of a returning node) is stopped.
   */
  List<RunningAttempt> reported(WorkerEntry w, List<RunningAttempt> held, Predicate<String> assignedHere) {
    Set<String> ids = new HashSet<>();
    held.forEach(a -> ids.add(a.attemptId()));
    w.adopted.keySet().removeIf(id -> {
      if (ids.contains(id)) {
        return false;
      }
      adoptedOwner.remove(id);
      return true;
    });
    for (Orphan o : List.copyOf(orphans.values())) {
      String id = o.attempt().attemptId();
      if (w.id().equals(o.attempt().workerId()) && !ids.contains(id)) {
        orphans.remove(id);
        lost(o.executionId(), o.attempt().jobId(), id, "worker " + w.id() + " reports that it does not hold it");
      }
    }
    List<RunningAttempt> unasked = new ArrayList<>();
    for (RunningAttempt a : held) {
      Orphan o = orphans.remove(a.attemptId());
      if (assignedHere.test(a.attemptId()) || w.adopted.containsKey(a.attemptId())) {
        continue;
      }
      String other = adoptedOwner.get(a.attemptId());
      if (other != null && !other.equals(w.id())) {
        continue; // another worker claimed it first; the Execution stops the one it does not know
      }
      w.adopted.put(a.attemptId(), new WorkerEntry.AdoptedAttempt(a.attemptId(), a.executionId(), a.jobId()));
      adoptedOwner.put(a.attemptId(), w.id());
      if (o == null) {
        unasked.add(a);
      }
    }
    return unasked;
  }

  /** The attempt ended (or was cancelled): answers the worker that held it adopted, or null. */
  String release(String attemptId, Map<String, WorkerEntry> workers) {
    String owner = adoptedOwner.remove(attemptId);
    WorkerEntry w = owner == null ? null : workers.get(owner);
    if (w != null) {
      w.adopted.remove(attemptId);
    }
    return owner;
  }

  /** Worker {@code w} is gone: what it held adopted, and orphans naming it, are lost. Answers how many. */
  int workerGone(WorkerEntry w, String reason) {
    int count = 0;
    for (WorkerEntry.AdoptedAttempt a : w.adopted.values()) {
      adoptedOwner.remove(a.attemptId());
      lost(a.executionId(), a.jobId(), a.attemptId(), "worker " + w.id() + " " + reason);
      count++;
    }
    w.adopted.clear();
    for (Orphan o : List.copyOf(orphans.values())) {
      if (w.id().equals(o.attempt().workerId())) {
        orphans.remove(o.attempt().attemptId());
        lost(o.executionId(), o.attempt().jobId(), o.attempt().attemptId(), "worker " + w.id() + " " + reason);
        count++;
      }
    }
    return count;
  }

  /** Orphans whose worker never showed up within the grace of a new registry are lost. */
  void expire(long now) {
    if (orphans.isEmpty()) {
      return;
    }
    for (Orphan o : List.copyOf(orphans.values())) {
      if (now >= o.deadline()) {
        orphans.remove(o.attempt().attemptId());
        lost(o.executionId(), o.attempt().jobId(), o.attempt().attemptId(),
            "no worker holds it (worker " + o.attempt().workerId() + " gone)");
      }
    }
  }

  private void lost(String executionId, String jobId, String attemptId, String reason) {
    onLost.accept(attemptId);
    executions.apply(executionId).tell(new Execution.ReportLost(jobId, attemptId, reason));
  }
}
