package io.gantry.execution;

import io.gantry.protocol.AttemptIds;
import static io.gantry.execution.ExecutionReplies.invalidDag;
import static io.gantry.execution.ExecutionReplies.notFound;

import io.gantry.dag.Dag;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagValidationException;
import io.gantry.execution.ExecutionEvent.JobsQueued;
import io.gantry.execution.ExecutionEvent.QueuedAttempt;
import io.gantry.execution.ExecutionEvent.Submitted;
import io.gantry.protocol.ExecutionProtocol.Cancel;
import io.gantry.protocol.ExecutionProtocol.CancelJob;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.GetJob;
import io.gantry.protocol.ExecutionProtocol.GetResult;
import io.gantry.protocol.ExecutionProtocol.GetState;
import io.gantry.protocol.ExecutionProtocol.LinkCheckpoint;
import io.gantry.protocol.ExecutionProtocol.Pause;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Resume;
import io.gantry.execution.ExecutionTimers.JobCountsDue;
import io.gantry.protocol.ExecutionProtocol.ListJobs;
import io.gantry.protocol.ExecutionProtocol.Retry;
import io.gantry.protocol.ExecutionProtocol.RetryJobs;
import io.gantry.protocol.ExecutionProtocol.Submit;
import io.gantry.protocol.SubmitAccepted;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The commands of an execution that was never submitted (or whose id is unknown): a valid submit creates it and
 * queues its roots; everything else is NOT_FOUND, and a worker running one of its attempts is told to stop.
 */
final class EmptyExecutionCommands extends PhaseCommands {
  /** The pool of an attempt whose execution does not know its job. */
  private static final String UNKNOWN_POOL = "default";

  private final ValidatedDag validated;

  EmptyExecutionCommands(String executionId, EffectFactories<ExecutionEvent, Phase> effects,
      ExecutionSideEffects sideEffects, ValidatedDag validated) {
    super(executionId, effects, sideEffects);
    this.validated = validated;
  }

  @Override
  void addTo(CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder) {
    withoutCurrentAttempts(builder.forStateType(Phase.Empty.class))
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(GetState.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(GetJob.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(GetResult.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(Pause.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(Resume.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(Cancel.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(CancelJob.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(Retry.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(RetryJobs.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(ListJobs.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(JobCountsDue.class, c -> effects.noReply())
        .onCommand(LinkCheckpoint.class, c -> effects.reply(c.replyTo(), notFound(executionId)))
        .onCommand(ReportStarted.class, c -> effects.none()
            .thenRun(st -> sideEffects.registries().cancel(UNKNOWN_POOL, List.of(c.attemptId())))
            .thenNoReply());
  }

  /** Validates the document, then stores the submission with its roots queued and offers them. */
  private ReplyEffect<ExecutionEvent, Phase> onSubmit(Phase.Empty state, Submit c) {
    DagDocument doc = c.document().withExecutionId(executionId);
    Dag dag;
    try {
      dag = Dag.of(doc);
    } catch (DagValidationException e) {
      return effects.reply(c.replyTo(), invalidDag(e.getMessage()));
    }
    long now = System.currentTimeMillis();
    List<QueuedAttempt> roots = new ArrayList<>();
    for (int i : dag.roots()) {
      roots.add(new QueuedAttempt(dag.job(i).id(), AttemptIds.of(executionId, dag.job(i).id(), 1)));
    }
    JobsQueued queued = new JobsQueued(roots, now);
    validated.hold(dag);
    return effects.persist(List.of(new Submitted(dag.document(), now, c.by()), queued))
        .thenRun(st -> sideEffects.registries().offer(st.run(), queued.attempts()))
        .thenReply(c.replyTo(), st -> StatusReply.success(
            new SubmitAccepted(executionId, st.run().dag.workflowId(), st.run().status, true)));
  }
}
