package io.gantry.worker;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol.CancelAttempt;
import io.gantry.protocol.WorkerProtocol.Command;
import io.gantry.protocol.WorkerProtocol.Internal;
import io.gantry.protocol.WorkerProtocol.Leave;
import io.gantry.protocol.WorkerProtocol.ResultsAcknowledged;
import io.gantry.protocol.WorkerProtocol.Run;
import io.gantry.protocol.WorkerProtocol.RunningAttempt;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker of a worker node: registers with its pool's registry, runs the attempts it is given through
 * {@link JobHandler}s on its own bounded thread pool (never on an actor thread), reports to each job's Execution,
 * and repeats a result until the Execution has acknowledged it, so no result is lost while an Execution moves or
 * restarts. Results are told many per message and acknowledged many per message (no ask per result).
 */
public final class WorkerAgent extends AbstractBehavior<WorkerProtocol.Command> {
  private static final Logger JOB_LOG = LoggerFactory.getLogger("io.gantry.worker.Job");
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
  private static final long LOCAL_TIMEOUT_MAX_MS = Duration.ofDays(30).toMillis();
  private static final Duration RESEND_CHECK = Duration.ofSeconds(1);

  private enum HeartbeatTick implements Internal { INSTANCE }

  private record RegistrationAnswered(Throwable failure) implements Internal {}

  private record HeartbeatAnswered(Throwable failure) implements Internal {}

  private record AttemptDone(String attemptId, JobOutcome outcome, long startedAt, long finishedAt)
      implements Internal {}

  /** Sends the results that ended since the last send, many per Execution in one message. */
  private enum SendResults implements Internal { INSTANCE }

  /** Looks for results not acknowledged within REPORT_TIMEOUT, to send them again. */
  private enum ResendTick implements Internal { INSTANCE }

  /** Results of at most this many attempts go in one message; a result with a large output goes alone. */
  private static final int RESULTS_PER_MESSAGE = 64;
  private static final int SMALL_LOGS = 4_096;

  private record LocalTimeout(String attemptId) implements Internal {}

  private final WorkerSettings settings;
  private final TimerScheduler<Command> timers;
  private final RecipientRef<RegistryProtocol.Command> registry;
  private final AttemptReporter reporter;
  private final Map<String, JobHandler> handlers;
  private final ExecutorService jobThreads;
  private final ExecutorService cancelThreads;
  private final WorkerHoldings holdings = new WorkerHoldings();
  /** Results to send with the next SendResults, by execution id. */
  private final Map<String, List<AttemptResult>> toSend = new LinkedHashMap<>();
  private boolean sendScheduled;
  private boolean registered;
  private boolean leaving;

  public static Behavior<Command> create(WorkerSettings settings, Map<String, JobHandler> handlers,
      RecipientRef<RegistryProtocol.Command> registry, Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withMdc(Command.class,
        Map.of("workerId", settings.registration().workerId()),
        new WorkerAgent(ctx, timers, settings, handlers, registry, executions))));
  }

  private WorkerAgent(ActorContext<Command> context, TimerScheduler<Command> timers, WorkerSettings settings,
      Map<String, JobHandler> handlers, RecipientRef<RegistryProtocol.Command> registry,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    super(context);
    this.settings = settings;
    this.timers = timers;
    this.registry = registry;
    this.reporter = new AttemptReporter(executions);
    this.handlers = handlers;
    this.jobThreads = JobThreads.fixed("gantry-job", settings.jobThreads());
    this.cancelThreads = JobThreads.cached("gantry-job-cancel");
    register();
    timers.startTimerWithFixedDelay(HeartbeatTick.INSTANCE, WorkerProtocol.CLUSTER_HEARTBEAT);
    timers.startTimerWithFixedDelay(ResendTick.INSTANCE, RESEND_CHECK);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(CancelAttempt.class, this::onCancel)
        .onMessage(AttemptDone.class, this::onAttemptDone)
        .onMessage(SendResults.class, m -> onSendResults())
        .onMessage(ResultsAcknowledged.class, this::onResultsAcknowledged)
        .onMessage(ResendTick.class, m -> onResendTick())
        .onMessage(LocalTimeout.class, m -> {
          WorkerHoldings.Running r = holdings.running(m.attemptId());
          if (r != null) {
            cancel(m.attemptId(), "timed out after " + r.context().timeoutMs() + " ms");
          }
          return this;
        })
        .onMessage(HeartbeatTick.class, this::onHeartbeatTick)
        .onMessage(RegistrationAnswered.class, this::onRegistrationAnswered)
        .onMessage(HeartbeatAnswered.class, this::onHeartbeatAnswered)
        .onMessage(Leave.class, this::onLeave)
        .onSignal(PostStop.class, s -> {
          holdings.runningAttempts().forEach(r -> r.context().cancel("worker stopped"));
          jobThreads.shutdownNow();
          cancelThreads.shutdown();
          return this;
        })
        .build();
  }

  // ---- running attempts

  private Behavior<Command> onRun(Run m) {
    JobOffer offer = m.offer();
    if (holdings.holds(offer.attemptId())) {
      return this;
    }
    if (leaving) {
      // Shutting down: hand it straight back.
      AttemptReporter.ended(registry, workerId(), offer.attemptId());
      reporter.lost(offer, "worker shutting down");
      return this;
    }
    long startedAt = System.currentTimeMillis();
    AttemptContext ctx = new AttemptContext(offer, reporter);
    holdings.started(ctx, startedAt);
    reporter.started(offer, workerId(), settings.registration().nodeAddress(), startedAt);
    // Pekko's scheduler refuses delays past ~248 days: a longer timeout is left to the Execution's timer alone.
    if (offer.timeoutMs() > 0 && offer.timeoutMs() <= LOCAL_TIMEOUT_MAX_MS) {
      timers.startSingleTimer("timeout:" + offer.attemptId(), new LocalTimeout(offer.attemptId()),
          Duration.ofMillis(offer.timeoutMs()));
    }
    JobHandler handler = handlers.get(offer.type());
    var self = getContext().getSelf();
    jobThreads.execute(() -> {
      JobOutcome outcome = runHandler(handler, ctx);
      self.tell(new AttemptDone(offer.attemptId(), outcome, startedAt, System.currentTimeMillis()));
    });
    return this;
  }

  private JobOutcome runHandler(JobHandler handler, AttemptContext ctx) {
    Map<String, String> mdc = Map.of("executionId", ctx.executionId(), "jobId", ctx.jobId(),
        "attemptId", ctx.attemptId(), "workerId", workerId());
    mdc.forEach(MDC::put);
    try {
      if (handler == null) {
        return JobOutcome.failed("worker " + workerId() + " has no handler for job type '" + ctx.type() + "'");
      }
      JobOutcome outcome = handler.run(ctx);
      if (ctx.isCancelled() && ctx.cancelReason != null) {
        return JobOutcome.failed(ctx.cancelReason).withLogs(outcome == null ? null : outcome.logs());
      }
      return outcome == null ? JobOutcome.failed("job handler returned no outcome") : outcome;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JobOutcome.failed(ctx.cancelReason != null ? ctx.cancelReason : "interrupted");
    } catch (Exception | LinkageError e) {
      JOB_LOG.warn("job handler failed: {}", e.toString());
      return JobOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      mdc.keySet().forEach(MDC::remove);
    }
  }

  private Behavior<Command> onAttemptDone(AttemptDone m) {
    WorkerHoldings.Running r = holdings.finished(m.attemptId());
    if (r == null) {
      return this;
    }
    timers.cancel("timeout:" + m.attemptId());
    AttemptReporter.ended(registry, workerId(), m.attemptId());
    if (r.context().isCancelled() && leaving) {
      return this;
    }
    JobOffer offer = r.context().offer();
    JobOutcome o = m.outcome();
    AttemptResult result = new AttemptResult(offer.executionId(), offer.jobId(), offer.attemptId(), workerId(),
        o.success(), o.output(), o.error(), o.logs(), m.startedAt(), m.finishedAt());
    holdings.awaitAnswer(result, m.finishedAt());
    queue(result);
    return this;
  }

  /**
   * Results are told, not asked: those that end while the agent works through its mailbox go to their Execution
   * together (one message per Execution), and the Execution acknowledges them together after its write.
   */
  private void queue(AttemptResult result) {
    toSend.computeIfAbsent(result.executionId(), id -> new ArrayList<>()).add(result);
    if (!sendScheduled) {
      sendScheduled = true;
      getContext().getSelf().tell(SendResults.INSTANCE);
    }
  }

  private Behavior<Command> onSendResults() {
    sendScheduled = false;
    ActorRef<ResultsAcknowledged> ackTo = getContext().getSelf().narrow();
    long now = System.currentTimeMillis();
    toSend.forEach((executionId, results) -> {
      RecipientRef<ExecutionProtocol.Command> execution = reporter.execution(executionId);
      List<ExecutionProtocol.ReportFinished> batch = new ArrayList<>(Math.min(results.size(), RESULTS_PER_MESSAGE));
      for (AttemptResult r : results) {
        holdings.sent(r.attemptId(), now);
        if (!small(r)) {
          execution.tell(new ExecutionProtocol.ReportResults(List.of(r.report(null)), ackTo));
          continue;
        }
        batch.add(r.report(null));
        if (batch.size() == RESULTS_PER_MESSAGE) {
          execution.tell(new ExecutionProtocol.ReportResults(List.copyOf(batch), ackTo));
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        execution.tell(new ExecutionProtocol.ReportResults(List.copyOf(batch), ackTo));
      }
    });
    toSend.clear();
    return this;
  }

  /** A result small enough to share a message (a large output or log goes alone, within the frame size). */
  private static boolean small(AttemptResult r) {
    boolean smallOutput = r.output() == null || r.output().isValueNode() && r.output().asText().length() < SMALL_LOGS
        || r.output().isContainerNode() && r.output().isEmpty();
    return smallOutput && (r.logs() == null || r.logs().length() < SMALL_LOGS)
        && (r.error() == null || r.error().length() < SMALL_LOGS);
  }

  private Behavior<Command> onResultsAcknowledged(ResultsAcknowledged m) {
    for (String attemptId : m.attemptIds()) {
      holdings.acknowledged(attemptId);
    }
    return this;
  }

  /** Results not acknowledged in time (the Execution moved, restarted, or an ack was lost) are sent again. */
  private Behavior<Command> onResendTick() {
    List<AttemptResult> due = holdings.unacknowledgedSince(System.currentTimeMillis() - REPORT_TIMEOUT.toMillis());
    if (!due.isEmpty()) {
      getContext().getLog().warn("{} result(s) not acknowledged within {} s (first: attempt {}); sending again",
          due.size(), REPORT_TIMEOUT.toSeconds(), due.get(0).attemptId());
      due.forEach(this::queue);
    }
    return this;
  }

  private Behavior<Command> onCancel(CancelAttempt m) {
    cancel(m.attemptId(), "cancelled");
    return this;
  }

  private void cancel(String attemptId, String reason) {
    WorkerHoldings.Running r = holdings.running(attemptId);
    if (r != null) {
      // Killing a process tree may take a moment: not on the actor's thread, and not behind busy job threads.
      cancelThreads.execute(() -> r.context().cancel(reason));
    }
  }

  // ---- registration and heartbeats

  private void register() {
    List<RunningAttempt> attempts = holdings.holding();
    getContext().askWithStatus(RegistryProtocol.Registered.class, registry, REPORT_TIMEOUT,
        replyTo -> new RegistryProtocol.Register(settings.registration(), getContext().getSelf(), attempts, replyTo),
        (ok, failure) -> new RegistrationAnswered(failure));
  }

  private Behavior<Command> onRegistrationAnswered(RegistrationAnswered m) {
    if (m.failure() == null) {
      if (!registered) {
        getContext().getLog().info("worker {} registered in pool '{}'", workerId(),
            settings.registration().pool());
      }
      registered = true;
    } else {
      getContext().getLog().warn("registration of worker {} failed ({}); trying again", workerId(),
          m.failure().getMessage());
    }
    return this;
  }

  private Behavior<Command> onHeartbeatTick(HeartbeatTick t) {
    if (leaving) {
      return this;
    }
    if (!registered) {
      register();
      return this;
    }
    List<RunningAttempt> attempts = holdings.holding();
    int load = holdings.runningCount();
    getContext().askWithStatus(Done.class, registry, REPORT_TIMEOUT,
        replyTo -> new RegistryProtocol.Heartbeat(workerId(), load, attempts, replyTo),
        (ok, failure) -> new HeartbeatAnswered(failure));
    return this;
  }

  private Behavior<Command> onHeartbeatAnswered(HeartbeatAnswered m) {
    if (m.failure() instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage) {
      // The registry does not know us (it restarted, or we expired): register again with what we run.
      registered = false;
      register();
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave m) {
    leaving = true;
    getContext().getLog().info("worker {} leaving: handing back {} running attempt(s)", workerId(),
        holdings.runningCount());
    registry.tell(new RegistryProtocol.Deregister(workerId(), getContext().getSystem().ignoreRef()));
    holdings.runningAttempts().forEach(r -> cancelThreads.execute(() -> r.context().cancel("worker shutting down")));
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private String workerId() {
    return settings.registration().workerId();
  }

  /** Job types this worker declares, for its registration. */
  public static List<String> jobTypes(Map<String, JobHandler> handlers) {
    return List.copyOf(handlers.keySet());
  }

  /** What the agent needs besides its handlers. */
  public record WorkerSettings(WorkerRegistration registration, int jobThreads) {}
}
