package io.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a worker says about the attempts it runs, the same for cluster workers ({@link WorkerAgent}) and HTTP workers
 * ({@link io.gantry.worker.remote.RemoteWorkers}): to the job's Execution that an attempt started, how it
 * progresses, how it ended and that it is lost; to the pool's registry that its slot is free. Stateless and
 * thread-safe.
 */
public final class AttemptReporter {
  private final Function<String, RecipientRef<ExecutionProtocol.Command>> executions;

  public AttemptReporter(Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    this.executions = executions;
  }

  /** The Execution an attempt reports to. */
  public RecipientRef<ExecutionProtocol.Command> execution(String executionId) {
    return executions.apply(executionId);
  }

  /** The attempt runs on {@code workerId} from {@code at}; {@code workerNode}: its cluster node, null for HTTP. */
  public void started(JobOffer offer, String workerId, String workerNode, long at) {
    execution(offer.executionId()).tell(new ExecutionProtocol.ReportStarted(offer.jobId(), offer.attemptId(),
        workerId, workerNode, at));
  }

  /**
   * Progress of a running attempt; {@code logs} (may be null): its output lines since the last report;
   * {@code replyTo} (may be null) hears STALE_ATTEMPT when it is not current.
   */
  public void progress(String executionId, String jobId, String attemptId, Double percent, String message,
      JsonNode checkpoint, String logs, String workerId, ActorRef<StatusReply<Done>> replyTo) {
    execution(executionId).tell(progressReport(jobId, attemptId, percent, message, checkpoint, logs, workerId,
        replyTo));
  }

  /** The report of an attempt's progress by {@code workerId}, for a caller that asks (an HTTP worker). */
  public static ExecutionProtocol.ReportProgress progressReport(String jobId, String attemptId, Double percent,
      String message, JsonNode checkpoint, String logs, String workerId, ActorRef<StatusReply<Done>> replyTo) {
    return new ExecutionProtocol.ReportProgress(jobId, attemptId, percent, message, checkpoint, workerId, replyTo,
        logs);
  }

  /** The worker gives the attempt back without running it to its end (it is shutting down). */
  public void lost(JobOffer offer, String reason) {
    execution(offer.executionId()).tell(new ExecutionProtocol.ReportLost(offer.jobId(), offer.attemptId(), reason));
  }

  /** The attempt's slot on {@code workerId} is free (whatever the outcome). */
  public static void ended(RecipientRef<RegistryProtocol.Command> registry, String workerId, String attemptId) {
    registry.tell(new RegistryProtocol.AttemptEnded(workerId, attemptId));
  }

  /**
   * Whether the Execution has decided on a reported result, given how the report's ask ended: it stored the result,
   * or refused it (stale, unknown) with an error answer. Anything else (no answer in time) and the result is sent
   * again: results are never lost while an Execution moves or restarts.
   */
  public static boolean decided(Throwable failure) {
    return failure == null || failure instanceof StatusReply.ErrorMessage;
  }
}
