package io.gantry.execution;

import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The refusals an Execution answers with ("CODE: message", the only place that names the codes), and replies to
 * reports whose sender may not listen.
 */
final class ExecutionReplies {
  private ExecutionReplies() {}

  static <T> StatusReply<T> conflict(String message) {
    return ErrorCode.CONFLICT.reply(message);
  }

  static <T> StatusReply<T> invalidDag(String message) {
    return ErrorCode.INVALID_DAG.reply(message);
  }

  static <T> StatusReply<T> notFoundAs(String message) {
    return ErrorCode.NOT_FOUND.reply(message);
  }

  static <T> StatusReply<T> alreadySettled(String jobId, JobStatus status) {
    return ErrorCode.CONFLICT.reply(
        "job " + jobId + " is already " + status.wireName() + "; only unfinished jobs can be cancelled");
  }

  static <T> StatusReply<T> notFound(String executionId) {
    return ErrorCode.NOT_FOUND.reply("execution " + executionId + " not found");
  }

  static <T> StatusReply<T> jobNotFound(String executionId, String jobId) {
    return ErrorCode.NOT_FOUND.reply("execution " + executionId + " has no job " + jobId);
  }

  static <T> StatusReply<T> notItsAttempt(String attemptId, String runsOn, String reporter) {
    return ErrorCode.FORBIDDEN.reply("attempt " + attemptId + " was handed to worker " + runsOn + ", not to "
        + reporter);
  }

  static <T> StatusReply<T> staleAttempt(String attemptId) {
    return ErrorCode.STALE_ATTEMPT.reply("attempt " + attemptId + " is no longer current for its job");
  }

  static <T> StatusReply<T> notAllowed(String executionId, String what, ExecutionStatus status) {
    return ErrorCode.CONFLICT.reply("cannot " + what + " execution " + executionId + ": it is " + status.wireName());
  }

  /** Reports carry a null {@code replyTo} when their sender does not wait for the answer. */
  static <T> ReplyEffect<ExecutionEvent, Phase> replyIfAsked(EffectFactories<ExecutionEvent, Phase> effects,
      ActorRef<StatusReply<T>> replyTo, StatusReply<T> reply) {
    return replyTo == null ? effects.noReply() : effects.reply(replyTo, reply);
  }

  /** Acknowledges a stored report once its side effects ran, unless no one asked. */
  static ReplyEffect<ExecutionEvent, Phase> ackIfAsked(EffectBuilder<ExecutionEvent, Phase> stored,
      ActorRef<StatusReply<Done>> replyTo) {
    return replyTo == null ? stored.thenNoReply() : stored.thenReply(replyTo, st -> StatusReply.ack());
  }
}
