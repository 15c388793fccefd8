package io.gantry.registry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.registry.cluster.ConcurrencyKeys;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.QueuedAttempt;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The pool's workers and when they stop counting: a worker registers (again), reports what it holds, and goes
 * offline when it deregisters, when an HTTP worker falls silent past its TTL, or when a cluster worker's node leaves
 * or stays unreachable past the grace. Whatever an offline worker ran is reported lost, so it runs elsewhere.
 * Offline entries stay listed for a while, then are forgotten. Owned by the registry actor.
 */
final class WorkerMembership {
  private final Map<String, WorkerEntry> workers;
  private final RegistrySettings settings;
  private final PoolScheduler scheduler;
  private final HeldAttempts held;
  private final ConcurrencyKeys keys;
  private final AttemptDispatch dispatch;
  private final LongPolls polls;
  private final Function<String, RecipientRef<ExecutionProtocol.Command>> executions;
  private final Logger log;

  WorkerMembership(Map<String, WorkerEntry> workers, RegistrySettings settings, PoolScheduler scheduler,
      HeldAttempts held, ConcurrencyKeys keys, AttemptDispatch dispatch, LongPolls polls,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions, Logger log) {
    this.workers = workers;
    this.settings = settings;
    this.scheduler = scheduler;
    this.held = held;
    this.keys = keys;
    this.dispatch = dispatch;
    this.polls = polls;
    this.executions = executions;
    this.log = log;
  }

  /** A live (not offline) worker, or null. */
  WorkerEntry live(String workerId) {
    WorkerEntry w = workers.get(workerId);
    return w == null || w.offline() ? null : w;
  }

  /**
   * Registers a worker, or refreshes a live one's registration. {@code running} (null: the worker does not say) is
   * what it holds, settled as in a heartbeat.
   */
  void register(WorkerRegistration r, ActorRef<WorkerProtocol.Command> agent,
      List<WorkerProtocol.RunningAttempt> running) {
    long now = System.currentTimeMillis();
    WorkerEntry w = live(r.workerId());
    if (w != null) {
      w.registration = r;
      w.agent = agent;
      w.lastHeartbeat = now;
      w.unreachable = false;
    } else {
      w = new WorkerEntry(r, agent, now);
      workers.put(r.workerId(), w);
    }
    scheduler.upsertWorker(WorkerViews.profileOf(r));
    if (running != null) {
      reported(w, running);
      scheduler.setReportedLoad(r.workerId(), w.adopted.size());
    }
    withWorkerMdc(r.workerId(), () -> log.info("worker {} ({}) registered: capabilities {}, {} slots, running {}",
        r.workerId(), r.kind(), r.capabilities(), r.maxConcurrency(), running == null ? 0 : running.size()));
  }

  /** A live worker's heartbeat: alive now, with its load and (unless null) what it holds. */
  void heartbeat(WorkerEntry w, Integer currentLoad, List<WorkerProtocol.RunningAttempt> holding) {
    w.lastHeartbeat = System.currentTimeMillis();
    if (holding != null) {
      reported(w, holding);
    }
    if (currentLoad != null) {
      w.reportedLoad = currentLoad;
      scheduler.setReportedLoad(w.id(), Math.max(currentLoad, w.adopted.size()));
    }
  }

  /**
   * Reconciles what a worker says it holds. Attempts it holds that are queued here (offered again after a registry
   * restart) leave the queue, so they do not run twice; those no Execution asked about are confirmed with their
   * Execution, which stops them when they are no longer current (a zombie of a node that came back).
   */
  private void reported(WorkerEntry w, List<WorkerProtocol.RunningAttempt> holding) {
    holding.forEach(a -> scheduler.withdraw(a.attemptId()));
    long now = System.currentTimeMillis();
    for (WorkerProtocol.RunningAttempt a : held.reported(w, holding, id -> scheduler.assignedWorker(id).isPresent())) {
      executions.apply(a.executionId()).tell(new ExecutionProtocol.ReportStarted(a.jobId(), a.attemptId(), w.id(),
          w.registration.nodeAddress(), now));
    }
    w.adopted.keySet().forEach(keys::readopt); // adopted attempts take their concurrency key's lock back
  }

  /** The worker leaves (or is removed): what it ran is lost and runs elsewhere. */
  void takeOffline(WorkerEntry w, String reason) {
    w.offlineSince = System.currentTimeMillis();
    if (w.poll != null) {
      polls.answer(w);
    }
    List<QueuedAttempt> lost = scheduler.removeWorker(w.id());
    for (QueuedAttempt q : lost) {
      dispatch.lostWithWorker(q);
      executions.apply(q.executionId()).tell(new ExecutionProtocol.ReportLost(q.jobId(), q.attemptId(),
          "worker " + w.id() + " " + reason));
    }
    int lostCount = lost.size() + held.workerGone(w, reason);
    withWorkerMdc(w.id(), () -> log.warn("worker {} {}: {} running attempt(s) re-queued", w.id(), reason,
        lostCount));
  }

  // ---- cluster membership: worker nodes that leave or stay unreachable lose their attempts

  /** A cluster node was removed: its workers are gone. Answers whether one was taken offline. */
  boolean nodeRemoved(String address) {
    boolean changed = false;
    for (WorkerEntry w : List.copyOf(workers.values())) {
      if (!w.offline() && address.equals(w.registration.nodeAddress())) {
        takeOffline(w, "left the cluster (node " + address + " removed)");
        changed = true;
      }
    }
    return changed;
  }

  /** A cluster node became (un)reachable; its workers are taken offline by {@link #expire} past the grace. */
  void reachability(String address, boolean reachable) {
    long now = System.currentTimeMillis();
    for (WorkerEntry w : workers.values()) {
      if (!w.offline() && address.equals(w.registration.nodeAddress())) {
        if (!reachable && !w.unreachable) {
          w.unreachableSince = now;
        }
        w.unreachable = !reachable;
      }
    }
  }

  /**
   * Takes offline the HTTP workers silent past their TTL (an open poll counts as alive) and the cluster workers
   * unreachable past the grace; forgets workers offline for long. Answers whether one was taken offline.
   */
  boolean expire(long now) {
    long ttl = settings.httpWorkerTtl().toMillis();
    long grace = settings.unreachableGrace().toMillis();
    boolean changed = false;
    for (WorkerEntry w : List.copyOf(workers.values())) {
      if (w.offline()) {
        if (now - w.offlineSince > settings.offlineRetention().toMillis()) {
          workers.remove(w.id());
        }
      } else if (w.agent == null && w.poll == null && now - w.lastHeartbeat > ttl) {
        takeOffline(w, "expired (no heartbeat for " + ttl + " ms)");
        changed = true;
      } else if (w.unreachable && now - w.unreachableSince > grace) {
        takeOffline(w, "unreachable for more than " + grace + " ms");
        changed = true;
      }
    }
    return changed;
  }

  private static void withWorkerMdc(String workerId, Runnable log) {
    MDC.put("workerId", workerId);
    try {
      log.run();
    } finally {
      MDC.remove("workerId");
    }
  }
}
