package io.gantry.registry;

import io.gantry.dag.ShellAllowList;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol.Command;
import io.gantry.protocol.RegistryProtocol.Internal;
import io.gantry.protocol.TrackedAttempt;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.ConcurrencyKeys;
import io.gantry.registry.scheduling.Assignment;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.QueuedAttempt;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Which worker runs what. Offered attempts wait in the scheduler's queue; an assigned one goes to its worker (a
 * cluster worker's agent, or an HTTP worker's open poll) once the lock of its concurrency key, if it has one, is
 * held; its slot is freed when it ends, is cancelled or is lost. Owned by the registry actor.
 */
final class AttemptDispatch {
  /** A Redis answer for the shared queue state, or a timer of it; local, never serialized. */
  record Shared(ClusterAnswer answer) implements Internal {}

  /** Time to dispatch again (the scheduler's next wake-up: aging, rate limit, backoff) and to check expiries. */
  enum Tick implements Internal { INSTANCE }

  private final PoolScheduler scheduler;
  private final Map<String, WorkerEntry> workers;
  private final HeldAttempts held;
  private final ConcurrencyKeys keys;
  private final LongPolls polls;
  private final TimerScheduler<Command> timers;
  private final Duration keyRetry;
  /** Offers whose attempt is running, by attempt id, to report them lost if their worker goes. */
  private final Map<String, JobOffer> running = new HashMap<>();
  private long dispatched;

  AttemptDispatch(PoolScheduler scheduler, Map<String, WorkerEntry> workers, HeldAttempts held, ConcurrencyKeys keys,
      LongPolls polls, TimerScheduler<Command> timers, Duration keyRetry) {
    this.scheduler = scheduler;
    this.workers = workers;
    this.held = held;
    this.keys = keys;
    this.polls = polls;
    this.timers = timers;
    this.keyRetry = keyRetry;
  }

  // ---- what Executions say

  /** Queues attempts not running here already (idempotent by attempt id). */
  void offer(List<JobOffer> offers) {
    for (JobOffer o : offers) {
      held.offered(o.attemptId());
      if (!running.containsKey(o.attemptId()) && !held.isAdopted(o.attemptId())) {
        scheduler.offer(new QueuedAttempt(o.attemptId(), o.executionId(), o.jobId(), o.type(), o.priority(),
            WorkerViews.requirementsOf(o), o.concurrencyKey(), o.enqueuedAt(), o,
            "shell".equals(o.type()) ? ShellAllowList.programOf(o.config()).orElse(null) : null));
      }
    }
  }

  /** Attempts an Execution believes run; those this registry does not know of wait for a worker to claim them. */
  void track(String executionId, List<TrackedAttempt> attempts, long deadline) {
    for (TrackedAttempt a : attempts) {
      if (!running.containsKey(a.attemptId()) && !held.isAdopted(a.attemptId()) && !scheduler.isQueued(a.attemptId())) {
        held.track(executionId, a, a.workerId() == null ? null : workers.get(a.workerId()), deadline);
      }
    }
  }

  /** Queued ones leave the queue; running ones are stopped on their worker, and their slot is free. */
  void cancel(List<String> attemptIds) {
    for (String attemptId : attemptIds) {
      if (scheduler.withdraw(attemptId).isPresent()) {
        continue;
      }
      if (keys.isPending(attemptId)) {
        release(attemptId); // never sent: waiting for its concurrency key
        continue;
      }
      String workerId = scheduler.assignedWorker(attemptId).orElseGet(() -> held.ownerOf(attemptId));
      WorkerEntry w = workerId == null ? null : workers.get(workerId);
      if (w == null) {
        continue;
      }
      if (w.agent != null) {
        w.agent.tell(new WorkerProtocol.CancelAttempt(attemptId));
        if (held.isAdopted(attemptId)) {
          // Not counted any more; should the worker still list it, the next report stops it again.
          release(attemptId);
        }
      } else {
        // An HTTP worker learns of it on its next progress or complete (409); its slot is free now.
        release(attemptId);
      }
    }
  }

  /** The attempt ended, was cancelled or never sent: its slot and its concurrency key are free. */
  void release(String attemptId) {
    running.remove(attemptId);
    scheduler.release(attemptId);
    keys.ended(attemptId).ifPresent(key -> scheduler.releaseKey(key, attemptId));
    String owner = held.release(attemptId, workers);
    WorkerEntry w = owner == null ? null : workers.get(owner);
    if (w != null && !w.offline()) {
      scheduler.setReportedLoad(w.id(), w.adopted.size());
    }
  }

  /** An attempt assigned here whose worker is gone; the caller reports it lost. */
  void lostWithWorker(QueuedAttempt attempt) {
    running.remove(attempt.attemptId());
    keys.lost(attempt.attemptId());
  }

  /** Whether the attempt runs on a worker here (assigned by this registry, or adopted back). */
  boolean holds(String attemptId) {
    return running.containsKey(attemptId) || held.isAdopted(attemptId);
  }

  /** The offers of the attempts assigned here that run, by attempt id (read-only). */
  Map<String, JobOffer> running() {
    return Collections.unmodifiableMap(running);
  }

  /** How many attempts this registry sent to workers. */
  long dispatched() {
    return dispatched;
  }

  // ---- dispatch

  /** Assigns what can be assigned now and sends it, then wakes up when the scheduler next may assign more. */
  void dispatch() {
    long now = System.currentTimeMillis();
    List<Assignment> assignments = scheduler.dispatch(now);
    if (assignments.isEmpty()) {
      return;
    }
    Set<WorkerEntry> polled = new HashSet<>();
    for (Assignment a : assignments) {
      running.put(a.attempt().attemptId(), (JobOffer) a.attempt().payload());
      if (keys.acquire(a.attempt())) {
        continue; // sent once its concurrency key's lock is granted
      }
      WorkerEntry w = workers.get(a.workerId());
      if (deliver(a.attempt(), w)) {
        polled.add(w);
      }
    }
    polled.forEach(polls::answer);
    long wake = scheduler.nextWakeupDelayMs(now);
    if (wake > 0) {
      timers.startSingleTimer("dispatch", Tick.INSTANCE, Duration.ofMillis(wake));
    }
  }

  /** Sends an assigned attempt to its worker; true when it went into an open poll, to be answered. */
  private boolean deliver(QueuedAttempt attempt, WorkerEntry w) {
    JobOffer offer = (JobOffer) attempt.payload();
    dispatched++;
    if (w.agent != null) {
      w.agent.tell(new WorkerProtocol.Run(offer));
      return false;
    }
    if (polls.collect(w, offer)) {
      return true;
    }
    // No open poll (it was answered while the key's lock was asked for); give the attempt back rather than lose it.
    release(offer.attemptId());
    scheduler.offer(attempt);
    return false;
  }

  // ---- concurrency keys, whose locks live in Redis

  /** An answer about a concurrency key's lock: a granted attempt is sent, a refused one queued again. */
  void keyAnswered(ClusterAnswer answer, long now) {
    if (answer instanceof ClusterAnswer.KeyAnswered a) {
      if (!a.held()) {
        keys.refused(a).ifPresent(q -> waitForKey(q, a.key()));
      } else if (keys.granted(a, now)) {
        WorkerEntry w = scheduler.assignedWorker(a.attemptId()).map(workers::get).orElse(null);
        if (w != null && deliver(scheduler.assignedAttempt(a.attemptId()), w)) {
          polls.answer(w);
        }
      }
    } else if (answer instanceof ClusterAnswer.KeyRetry r) {
      keys.look(r.key());
    } else if (answer instanceof ClusterAnswer.KeyLooked l) {
      if (l.free()) {
        scheduler.releaseKey(l.key(), PoolScheduler.HELD_ELSEWHERE); // what waits for it competes again
      } else {
        timers.startSingleTimer("key:" + l.key(), new Shared(new ClusterAnswer.KeyRetry(l.key())), keyRetry);
      }
    } else if (answer instanceof ClusterAnswer.KeyReadopted r) {
      keys.readopted(r, held.isAdopted(r.attemptId()), now).ifPresent(key -> scheduler.holdKey(key, r.attemptId()));
    }
  }

  /** Locks of running attempts' keys due for renewal are renewed; answers whether one was released. */
  boolean renewKeys(long now) {
    Map<String, String> released = keys.renewDue(now, this::holds);
    released.forEach((attemptId, key) -> scheduler.releaseKey(key, attemptId));
    return !released.isEmpty();
  }

  /**
   * The key's lock was refused (held in another pool, or Redis away): queued again, its key parked until a look
   * every {@code concurrency-key-retry} finds the lock free.
   */
  private void waitForKey(QueuedAttempt attempt, String key) {
    release(attempt.attemptId());
    scheduler.holdKey(key, PoolScheduler.HELD_ELSEWHERE);
    scheduler.offer(attempt);
    timers.startSingleTimer("key:" + key, new Shared(new ClusterAnswer.KeyRetry(key)), keyRetry);
  }
}
