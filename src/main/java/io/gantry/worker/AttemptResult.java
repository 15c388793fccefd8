package io.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.ExecutionProtocol;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** How an attempt ended on its worker, as the worker reports it to the job's Execution. */
public record AttemptResult(String executionId, String jobId, String attemptId, String workerId, boolean success,
    JsonNode output, String error, String logs, long startedAt, long finishedAt) {

  /** The report of this result; {@code replyTo} hears whether the Execution stored it (or refused it as stale). */
  public ExecutionProtocol.ReportFinished report(ActorRef<StatusReply<Done>> replyTo) {
    return new ExecutionProtocol.ReportFinished(jobId, attemptId, workerId, success, output, error, logs, startedAt,
        finishedAt, replyTo);
  }
}
