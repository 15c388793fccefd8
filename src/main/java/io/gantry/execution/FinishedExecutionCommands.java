package io.gantry.execution;

import static io.gantry.execution.ExecutionReplies.alreadySettled;
import static io.gantry.execution.ExecutionReplies.jobNotFound;
import static io.gantry.execution.ExecutionReplies.notAllowed;

import io.gantry.protocol.ExecutionProtocol.Cancel;
import io.gantry.protocol.ExecutionProtocol.CancelJob;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Pause;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Resume;
import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The commands of a completed, failed or cancelled execution. Every job is settled, so no attempt is current: any
 * report is stale and a worker still running an attempt is told to stop. It cannot be paused, resumed or cancelled;
 * a retry (in {@link SubmittedExecutionCommands}) reopens a failed or cancelled one. Once idle it leaves memory.
 */
final class FinishedExecutionCommands extends PhaseCommands {
  FinishedExecutionCommands(String executionId, EffectFactories<ExecutionEvent, Phase> effects,
      ExecutionSideEffects sideEffects) {
    super(executionId, effects, sideEffects);
  }

  @Override
  void addTo(CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder) {
    withoutCurrentAttempts(builder.forStateType(Phase.Finished.class))
        .onCommand(ReportStarted.class, this::stopOnWorker)
        .onCommand(Pause.class, (p, c) ->
            effects.reply(c.replyTo(), notAllowed(executionId, "pause", p.run().status)))
        .onCommand(Resume.class, (p, c) ->
            effects.reply(c.replyTo(), notAllowed(executionId, "resume", p.run().status)))
        .onCommand(Cancel.class, (p, c) ->
            effects.reply(c.replyTo(), notAllowed(executionId, "cancel", p.run().status)))
        .onCommand(CancelJob.class, (p, c) -> onCancelJob(p.run(), c));
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
