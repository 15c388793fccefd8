package io.gantry.execution;

import static io.gantry.execution.ExecutionReplies.replyIfAsked;
import static io.gantry.execution.ExecutionReplies.staleAttempt;

import io.gantry.execution.ExecutionTimers.AttemptTimedOut;
import io.gantry.execution.ExecutionTimers.Idle;
import io.gantry.execution.ExecutionTimers.RetryDue;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Forget;
import io.gantry.protocol.ExecutionProtocol.Reoffer;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportLost;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.ReportResults;
import io.gantry.protocol.WorkerProtocol.ResultsAcknowledged;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;

/**
 * The command handlers of one phase of an Execution, with what all of them need: the execution they answer for,
 * the effects to reply and persist with, and the side effects to run after persisting.
 */
abstract class PhaseCommands {
  final String executionId;
  final EffectFactories<ExecutionEvent, Phase> effects;
  final ExecutionSideEffects sideEffects;

  PhaseCommands(String executionId, EffectFactories<ExecutionEvent, Phase> effects,
      ExecutionSideEffects sideEffects) {
    this.executionId = executionId;
    this.effects = effects;
    this.sideEffects = sideEffects;
  }

  /** Registers this phase's handlers. */
  abstract void addTo(CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder);

  /**
   * The handlers of a phase in which no attempt is current (never submitted, or finished): every report is stale,
   * timers and re-offers have nothing to act on, and once idle or forgotten the execution leaves memory.
   */
  <S extends Phase> CommandHandlerWithReplyBuilderByState<Command, ExecutionEvent, S, Phase> withoutCurrentAttempts(
      CommandHandlerWithReplyBuilderByState<Command, ExecutionEvent, S, Phase> phase) {
    return phase
        .onCommand(ReportProgress.class, c -> replyIfAsked(effects, c.replyTo(), staleAttempt(c.attemptId())))
        .onCommand(ReportFinished.class, c -> replyIfAsked(effects, c.replyTo(), staleAttempt(c.attemptId())))
        .onCommand(ReportResults.class, c -> effects.none()
            .thenRun(st -> c.ackTo().tell(new ResultsAcknowledged(
                c.results().stream().map(ReportFinished::attemptId).toList())))
            .thenNoReply())
        .onCommand(ReportLost.class, c -> effects.noReply())
        .onCommand(AttemptTimedOut.class, c -> effects.noReply())
        .onCommand(RetryDue.class, c -> effects.noReply())
        .onCommand(Reoffer.class, c -> effects.noReply())
        .onCommand(Idle.class, c -> effects.none().thenRun(st -> sideEffects.passivate()).thenNoReply())
        .onCommand(Forget.class, c -> effects.none().thenRun(st -> sideEffects.passivate())
            .thenReply(c.replyTo(), st -> Done.getInstance()));
  }
}
