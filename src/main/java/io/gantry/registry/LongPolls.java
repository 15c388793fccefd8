package io.gantry.registry;

import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol.Command;
import io.gantry.protocol.RegistryProtocol.Internal;
import io.gantry.protocol.RegistryProtocol.PolledJobs;
import io.gantry.registry.scheduling.PoolScheduler;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * The long polls of HTTP workers: at most one open per worker, answered with what was assigned to it as soon as
 * something was, else empty when its wait ends; a newer poll of the same worker answers the older one. While a poll
 * is open the scheduler may assign up to its {@code max} to the worker (its pull credit). Owned by the registry actor.
 */
final class LongPolls {
  /** However long a worker asks to wait, its poll is answered within this. */
  static final long MAX_WAIT_MS = 30_000;

  /** The wait of poll {@code pollId} of a worker ended. */
  record Expired(String workerId, long pollId) implements Internal {}

  private final PoolScheduler scheduler;
  private final TimerScheduler<Command> timers;
  private long seq;

  LongPolls(PoolScheduler scheduler, TimerScheduler<Command> timers) {
    this.scheduler = scheduler;
    this.timers = timers;
  }

  /** Opens a poll for up to {@code max} attempts; an older open poll of {@code w} is answered with what it has. */
  void open(WorkerEntry w, int max, ActorRef<StatusReply<PolledJobs>> replyTo, long now) {
    w.lastHeartbeat = now;
    if (w.poll != null) {
      // The client gave up on the older one.
      w.poll.replyTo.tell(StatusReply.success(new PolledJobs(List.copyOf(w.poll.collected))));
    }
    w.poll = new WorkerEntry.OpenPoll(++seq, Math.max(1, max), replyTo);
    scheduler.setPullCredit(w.id(), w.poll.max);
  }

  /** After a dispatch: a poll still open and empty waits up to {@code waitMs} (capped) for an assignment. */
  void waitFor(WorkerEntry w, long waitMs) {
    if (w.poll != null && w.poll.collected.isEmpty()) {
      timers.startSingleTimer(timerKey(w), new Expired(w.id(), w.poll.id),
          Duration.ofMillis(Math.max(0, Math.min(MAX_WAIT_MS, waitMs))));
    }
  }

  /** The wait of a poll ended: answered empty, unless that poll was answered (or replaced) meanwhile. */
  void expired(WorkerEntry w, Expired m) {
    if (w != null && w.poll != null && w.poll.id == m.pollId()) {
      answer(w);
    }
  }

  /** An assigned attempt goes into {@code w}'s open poll; false when it has none (the caller gives it back). */
  boolean collect(WorkerEntry w, JobOffer offer) {
    if (w.poll == null) {
      return false;
    }
    w.poll.collected.add(offer);
    return true;
  }

  /** Answers {@code w}'s open poll with what it collected, and closes it. */
  void answer(WorkerEntry w) {
    w.poll.replyTo.tell(StatusReply.success(new PolledJobs(List.copyOf(w.poll.collected))));
    w.poll = null;
    // A worker holding a poll open is alive; its TTL runs from the poll's end, not from its start.
    w.lastHeartbeat = Math.max(w.lastHeartbeat, System.currentTimeMillis());
    timers.cancel(timerKey(w));
    if (scheduler.worker(w.id()).isPresent()) {
      scheduler.setPullCredit(w.id(), 0);
    }
  }

  private static String timerKey(WorkerEntry w) {
    return "poll:" + w.id();
  }
}
