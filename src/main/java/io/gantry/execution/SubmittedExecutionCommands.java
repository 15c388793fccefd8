package io.gantry.execution;

import static io.gantry.execution.ExecutionReplies.conflict;
import static io.gantry.execution.ExecutionReplies.jobNotFound;
import static io.gantry.execution.ExecutionReplies.notAllowed;
import static io.gantry.execution.ExecutionReplies.notFoundAs;

import io.gantry.dag.DagDocument;
import io.gantry.decision.Decider;
import io.gantry.execution.ExecutionEvent.CheckpointLinked;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.GetJob;
import io.gantry.protocol.ExecutionProtocol.GetResult;
import io.gantry.protocol.ExecutionProtocol.GetState;
import io.gantry.protocol.ExecutionProtocol.LinkCheckpoint;
import io.gantry.execution.ExecutionTimers.JobCountsDue;
import io.gantry.protocol.ExecutionProtocol.ListJobs;
import io.gantry.protocol.ExecutionProtocol.Retry;
import io.gantry.protocol.ExecutionProtocol.RetryJobs;
import io.gantry.protocol.ExecutionProtocol.Submit;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.SubmitAccepted;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Commands a submitted execution answers alike whether it is active or finished: a repeated submit (idempotent for
 * the same document), the queries, a retry of what failed (a failed or cancelled run reopens), and linking a
 * checkpoint.
 */
final class SubmittedExecutionCommands extends PhaseCommands {
  SubmittedExecutionCommands(String executionId, EffectFactories<ExecutionEvent, Phase> effects,
      ExecutionSideEffects sideEffects) {
    super(executionId, effects, sideEffects);
  }

  /** Registers the handlers for every phase but the empty one (after the phases' own, which take precedence). */
  @Override
  void addTo(CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder) {
    builder.forState(phase -> !(phase instanceof Phase.Empty))
        .onCommand(Submit.class, (p, c) -> onSubmit(p.run(), c))
        .onCommand(GetState.class, (p, c) ->
            effects.reply(c.replyTo(), StatusReply.success(ExecutionViews.state(p.run()))))
        .onCommand(GetJob.class, (p, c) -> onGetJob(p.run(), c))
        .onCommand(GetResult.class, (p, c) -> onGetResult(p.run(), c))
        .onCommand(Retry.class, (p, c) -> onRetry(p.run(), c))
        .onCommand(RetryJobs.class, (p, c) -> onRetryJobs(p.run(), c))
        .onCommand(ListJobs.class, (p, c) -> effects.reply(c.replyTo(),
            StatusReply.success(ExecutionViews.jobs(p.run(), c.status(), c.from(), c.limit()))))
        .onCommand(JobCountsDue.class, (p, c) -> effects.none()
            .thenRun(st -> sideEffects.recordJobCounts(st.run())).thenNoReply())
        .onCommand(LinkCheckpoint.class, (p, c) -> onLinkCheckpoint(c));
  }

  private ReplyEffect<ExecutionEvent, Phase> onSubmit(RunState s, Submit c) {
    DagDocument doc = c.document().withExecutionId(executionId);
    if (s.dag.document().equals(doc)) {
      return effects.reply(c.replyTo(), StatusReply.success(
          new SubmitAccepted(executionId, s.dag.workflowId(), s.status, false)));
    }
    return effects.reply(c.replyTo(), conflict(
        "execution " + executionId + " already exists with a different document"));
  }

  private ReplyEffect<ExecutionEvent, Phase> onGetJob(RunState s, GetJob c) {
    int i = s.dag.indexOf(c.jobId());
    if (i < 0) {
      return effects.reply(c.replyTo(), jobNotFound(executionId, c.jobId()));
    }
    return effects.reply(c.replyTo(), StatusReply.success(ExecutionViews.job(s, i)));
  }

  private ReplyEffect<ExecutionEvent, Phase> onGetResult(RunState s, GetResult c) {
    int i = s.dag.indexOf(c.jobId());
    if (i < 0) {
      return effects.reply(c.replyTo(), jobNotFound(executionId, c.jobId()));
    }
    JobStatus st = s.jobs[i].status;
    if (st != JobStatus.COMPLETED && st != JobStatus.FAILED) {
      return effects.reply(c.replyTo(), notFoundAs(
          "job " + c.jobId() + " of execution " + executionId + " has no result yet (it is " + st.wireName() + ")"));
    }
    return effects.reply(c.replyTo(), StatusReply.success(ExecutionViews.result(s, i)));
  }

  /** Failed, skipped and cancelled jobs wait again with a fresh retry budget; those ready are offered. */
  private ReplyEffect<ExecutionEvent, Phase> onRetry(RunState s, Retry c) {
    if (s.status == ExecutionStatus.PAUSED || s.status == ExecutionStatus.COMPLETED) {
      return effects.reply(c.replyTo(), notAllowed(executionId, "retry", s.status));
    }
    List<ExecutionEvent> events = AuditTrail.stamped(c.by(), DecisionEvents.of(Decider.retry(s),
        System.currentTimeMillis()));
    if (events.isEmpty()) {
      return effects.reply(c.replyTo(), conflict(
          "execution " + executionId + " has no failed, skipped or cancelled job to retry"));
    }
    return effects.persist(events)
        .thenRun(st -> {
          sideEffects.afterPersist(st.run(), events);
          sideEffects.recordReopened(st.run());
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }

  /**
   * Only these jobs (failed, skipped or cancelled) run again, with their skipped descendants; a finished run becomes
   * running for them while its other jobs keep their state and outputs.
   */
  private ReplyEffect<ExecutionEvent, Phase> onRetryJobs(RunState s, RetryJobs c) {
    if (s.status == ExecutionStatus.PAUSED) {
      return effects.reply(c.replyTo(), notAllowed(executionId, "retry", s.status));
    }
    List<Integer> indexes = new ArrayList<>(c.jobIds().size());
    for (String jobId : c.jobIds()) {
      int i = s.dag.indexOf(jobId);
      if (i < 0) {
        return effects.reply(c.replyTo(), jobNotFound(executionId, jobId));
      }
      JobStatus st = s.jobs[i].status;
      if (st != JobStatus.FAILED && st != JobStatus.SKIPPED && st != JobStatus.CANCELLED) {
        return effects.reply(c.replyTo(), conflict("job " + jobId + " of execution " + executionId + " is "
            + st.wireName() + ": only a failed, skipped or cancelled job can be retried"));
      }
      indexes.add(i);
    }
    if (indexes.isEmpty()) {
      return effects.reply(c.replyTo(), conflict("no job to retry was named"));
    }
    boolean wasFinished = s.status.finished();
    List<ExecutionEvent> events = AuditTrail.stamped(c.by(),
        DecisionEvents.of(Decider.retryJobs(s, indexes), System.currentTimeMillis()));
    return effects.persist(events)
        .thenRun(st -> {
          sideEffects.afterPersist(st.run(), events);
          if (wasFinished) {
            sideEffects.recordReopened(st.run());
          }
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }

  private ReplyEffect<ExecutionEvent, Phase> onLinkCheckpoint(LinkCheckpoint c) {
    return effects.persist(new CheckpointLinked(c.checkpointId(), System.currentTimeMillis()))
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }
}
