package io.gantry.execution;

import static io.gantry.execution.ExecutionReplies.alreadySettled;
import static io.gantry.execution.ExecutionReplies.jobNotFound;
import static io.gantry.execution.ExecutionReplies.notAllowed;
import static io.gantry.execution.ExecutionReplies.replyIfAsked;
import static io.gantry.execution.ExecutionReplies.staleAttempt;

import io.gantry.execution.ExecutionTimers.AttemptTimedOut;
import io.gantry.execution.ExecutionTimers.Idle;
import io.gantry.execution.ExecutionTimers.RetryDue;
import io.gantry.protocol.ExecutionProtocol.Cancel;
import io.gantry.protocol.ExecutionProtocol.CancelJob;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Forget;
import io.gantry.protocol.ExecutionProtocol.Pause;
import io.gantry.protocol.ExecutionProtocol.Reoffer;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportLost;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Resume;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The commands of a completed, failed or cancelled execution. Every job is settled, so no attempt is current: any
 * report is stale and a worker still running an attempt is told to stop. It cannot be paused, resumed or cancelled;
 * a retry (in {@link SubmittedExecutionCommands}) reopens a failed or cancelled one. Once idle it leaves memory.
 */
final class FinishedExecutionCommands {
  private final String executionId;
  private final EffectFactories<ExecutionEvent, Phase> effects;
  private final ExecutionSideEffects sideEffects;

  FinishedExecutionCommands(String executionId, EffectFactories<ExecutionEvent, Phase> effects,
      ExecutionSideEffects sideEffects) {
    this.executionId = executionId;
    this.effects = effects;
    this.sideEffects = sideEffects;
  }

  void addTo(CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder) {
    builder.forStateType(Phase.Finished.class)
        .onCommand(ReportStarted.class, this::stopOnWorker)
        .onCommand(ReportProgress.class, c -> replyIfAsked(effects, c.replyTo(), staleAttempt(c.attemptId())))
        .onCommand(ReportFinished.class, c -> replyIfAsked(effects, c.replyTo(), staleAttempt(c.attemptId())))
        .onCommand(ReportLost.class, c -> effects.noReply())
        .onCommand(AttemptTimedOut.class, c -> effects.noReply())
        .onCommand(RetryDue.class, c -> effects.noReply())
        .onCommand(Reoffer.class, c -> effects.noReply())
        .onCommand(Pause.class, (p, c) ->
            effects.reply(c.replyTo(), notAllowed(executionId, "pause", p.run().status)))
        .onCommand(Resume.class, (p, c) ->
            effects.reply(c.replyTo(), notAllowed(executionId, "resume", p.run().status)))
        .onCommand(Cancel.class, (p, c) ->
            effects.reply(c.replyTo(), notAllowed(executionId, "cancel", p.run().status)))
        .onCommand(CancelJob.class, (p, c) -> onCancelJob(p.run(), c))
        .onCommand(Idle.class, c -> effects.none().thenRun(st -> sideEffects.passivate()).thenNoReply())
        .onCommand(Forget.class, c -> effects.none().thenRun(st -> sideEffects.passivate())
            .thenReply(c.replyTo(), st -> Done.getInstance()));
  }

  /** A worker runs an attempt of a run that ended (it was cancelled while the attempt was on its way): stop it. */
  private ReplyEffect<ExecutionEvent, Phase> stopOnWorker(ReportStarted c) {
    return effects.none()
        .thenRun(st -> sideEffects.registries().cancel(st.run(), c.jobId(), List.of(c.attemptId())))
        .thenNoReply();
  }

  private ReplyEffect<ExecutionEvent, Phase> onCancelJob(RunState s, CancelJob c) {
    JobRun j = s.job(c.jobId());
    if (j == null) {
      return effects.reply(c.replyTo(), jobNotFound(executionId, c.jobId()));
    }
    return effects.reply(c.replyTo(), alreadySettled(c.jobId(), j.status));
  }
}
