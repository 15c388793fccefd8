package io.gantry.registry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.TrackedAttempt;
import io.gantry.protocol.WorkerProtocol.RunningAttempt;
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
 * (taken offline, its cluster node no longer a member, or still unknown here when a new registry's grace ends) or when
 * that worker itself, registering or heartbeating with the list of what it holds, leaves it out. A registry or journal call that failed for a while
 * therefore never costs a running attempt. Owned by the registry actor; mutable.
 */
final class HeldAttempts {
  /** The deadline of an orphan whose named worker is alive: it waits for that worker to say. */
  private static final long WHEN_WORKER_REPORTS = Long.MAX_VALUE;

  private record Orphan(String executionId, TrackedAttempt attempt, long deadline) {}

  private final Function<String, RecipientRef<ExecutionProtocol.Command>> executions;
  /** Told the id of every attempt reported lost (to free its concurrency key). */
  private final Consumer<String> onLost;
  /** Whether a cluster node is still a member; an attempt whose worker's node is not is lost without waiting. */
  private final Predicate<String> nodeIsMember;
  /** Which worker holds each adopted attempt (the attempts themselves are in {@link WorkerEntry#adopted}). */
  private final Map<String, String> adoptedOwner = new HashMap<>();
  private final Map<String, Orphan> orphans = new HashMap<>();

  HeldAttempts(Function<String, RecipientRef<ExecutionProtocol.Command>> executions, Consumer<String> onLost,
      Predicate<String> nodeIsMember) {
    this.executions = executions;
    this.onLost = onLost;
    this.nodeIsMember = nodeIsMember;
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
   * worker settles it on its next report; for a worker unknown or offline it is lost at {@code deadlineIfUnknown}, and
   * at once when the worker's cluster node has left (a new registry has never seen a worker that died with its node).
   */
  void track(String executionId, TrackedAttempt attempt, WorkerEntry named, long deadlineIfUnknown) {
    if (nodeLeft(attempt)) {
      orphans.remove(attempt.attemptId());
      lost(executionId, attempt.jobId(), attempt.attemptId(), nodeLeftReason(attempt));
      return;
    }
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

  /** Orphans whose worker's node has left, or whose worker never showed up within a new registry's grace, are lost. */
  void expire(long now) {
    if (orphans.isEmpty()) {
      return;
    }
    for (Orphan o : List.copyOf(orphans.values())) {
      if (nodeLeft(o.attempt())) {
        orphans.remove(o.attempt().attemptId());
        lost(o.executionId(), o.attempt().jobId(), o.attempt().attemptId(), nodeLeftReason(o.attempt()));
      } else if (now >= o.deadline()) {
        orphans.remove(o.attempt().attemptId());
        lost(o.executionId(), o.attempt().jobId(), o.attempt().attemptId(),
            "no worker holds it (worker " + o.attempt().workerId() + " gone)");
      }
    }
  }

  private boolean nodeLeft(TrackedAttempt a) {
    return a.workerNode() != null && !nodeIsMember.test(a.workerNode());
  }

  private static String nodeLeftReason(TrackedAttempt a) {
    return "worker node " + a.workerNode() + " left the cluster";
  }

  private void lost(String executionId, String jobId, String attemptId, String reason) {
    onLost.accept(attemptId);
    executions.apply(executionId).tell(new ExecutionProtocol.ReportLost(jobId, attemptId, reason));
  }
}
