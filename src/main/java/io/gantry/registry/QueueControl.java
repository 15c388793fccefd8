package io.gantry.registry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.Principal;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.SharedPause;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.QueuedAttempt;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.slf4j.Logger;

/**
 * The pool's queue control: pause and resume, which follow the flag shared through Redis ({@link SharedPause}) and
 * the commands sent once it is written, and drain, which cancels every queued attempt's job. Until the flag is first
 * read the scheduler holds dispatch. Owned by the registry actor.
 */
final class QueueControl {
  /** How soon a failed first read of the flag is tried again (the registry does not dispatch until it succeeds). */
  private static final Duration FIRST_READ_RETRY = Duration.ofSeconds(1);

  private final String pool;
  private final PoolScheduler scheduler;
  private final SharedPause pause;
  private final Duration refresh;
  private final Function<String, RecipientRef<ExecutionProtocol.Command>> executions;
  private final ActorSystem<?> system;
  private final Logger log;

  QueueControl(String pool, PoolScheduler scheduler, SharedPause pause, Duration refresh,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions, ActorSystem<?> system, Logger log) {
    this.pool = pool;
    this.scheduler = scheduler;
    this.pause = pause;
    this.refresh = refresh;
    this.executions = executions;
    this.system = system;
    this.log = log;
    scheduler.pause(); // until the shared pause flag is read
    pause.read();
  }

  /** A pause or resume command, sent after the shared flag was written: it applies at once. */
  void commanded(boolean paused) {
    pause.commanded();
    apply(paused, "commanded");
  }

  /** A read of the shared flag answered; answers how soon to read it again. */
  Duration read(ClusterAnswer.PauseRead r) {
    Boolean paused = pause.answered(r);
    if (paused != null) {
      apply(paused, "read from Redis");
    }
    return paused == null && !pause.known() ? FIRST_READ_RETRY : refresh;
  }

  /** Time to read the shared flag again. */
  void refresh() {
    pause.read();
  }

  /** Whether the queue is paused, as stats show it: a registry that has not read the flag yet only holds dispatch. */
  boolean paused() {
    return pause.known() && scheduler.paused();
  }

  /** Cancels the job of every queued attempt (each through its Execution, as asked {@code by}); answers how many. */
  int drain(Principal by) {
    List<QueuedAttempt> drained = scheduler.drain();
    for (QueuedAttempt q : drained) {
      executions.apply(q.executionId()).tell(new ExecutionProtocol.CancelJob(q.jobId(), by, system.ignoreRef()));
    }
    return drained.size();
  }

  private void apply(boolean paused, String how) {
    if (paused != scheduler.paused()) {
      if (paused) {
        scheduler.pause();
      } else {
        scheduler.resume();
      }
      log.info("queue of pool '{}' {} ({})", pool, paused ? "paused" : "resumed", how);
    }
  }
}
