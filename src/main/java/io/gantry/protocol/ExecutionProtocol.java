package io.gantry.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.dag.DagDocument;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The protocol of Execution: the messages it understands and the replies it sends. */
public final class ExecutionProtocol {
  private ExecutionProtocol() {}

  /**
   * Every message an Execution understands (sharded by execution id). Replies that fail carry "CODE: message". The
   * user actions carry {@code by} (who asked, a {@link Principal}; null when not said), which their events record.
   */
  public sealed interface Command extends CborSerializable {}

  /** Messages an Execution sends itself (timers, adapters); never sent from outside. */
  public non-sealed interface Internal extends Command {}

  /** {@code by}: who submits, for the audit trail (null: not said, as in messages of older nodes). */
  public record Submit(DagDocument document, Principal by, ActorRef<StatusReply<SubmitAccepted>> replyTo)
      implements Command {
    public Submit(DagDocument document, ActorRef<StatusReply<SubmitAccepted>> replyTo) {
      this(document, null, replyTo);
    }
  }

  public record GetState(ActorRef<StatusReply<ExecutionState>> replyTo) implements Command {}

  public record GetJob(String jobId, ActorRef<StatusReply<JobDetail>> replyTo) implements Command {}

  public record GetResult(String jobId, ActorRef<StatusReply<JobResult>> replyTo) implements Command {}

  public record Pause(Principal by, ActorRef<StatusReply<ExecutionState>> replyTo) implements Command {
    public Pause(ActorRef<StatusReply<ExecutionState>> replyTo) {
      this(null, replyTo);
    }
  }

  public record Resume(Principal by, ActorRef<StatusReply<ExecutionState>> replyTo) implements Command {
    public Resume(ActorRef<StatusReply<ExecutionState>> replyTo) {
      this(null, replyTo);
    }
  }

  public record Cancel(Principal by, ActorRef<StatusReply<ExecutionState>> replyTo) implements Command {
    public Cancel(ActorRef<StatusReply<ExecutionState>> replyTo) {
      this(null, replyTo);
    }
  }

  public record Retry(Principal by, ActorRef<StatusReply<ExecutionState>> replyTo) implements Command {
    public Retry(ActorRef<StatusReply<ExecutionState>> replyTo) {
      this(null, replyTo);
    }
  }

  /**
   * Runs these failed, skipped or cancelled jobs again (a queue job's retry), with their skipped descendants; the
   * other jobs keep their state and outputs. A finished execution becomes running again for them only.
   */
  public record RetryJobs(List<String> jobIds, Principal by, ActorRef<StatusReply<ExecutionState>> replyTo)
      implements Command {
    public RetryJobs(List<String> jobIds, ActorRef<StatusReply<ExecutionState>> replyTo) {
      this(jobIds, null, replyTo);
    }
  }

  /**
   * Up to {@code limit} jobs from position {@code from} (in the document's order) whose status is {@code status}
   * (any when null), with the count of every job status; {@code limit} 0 answers the counts alone.
   */
  public record ListJobs(JobStatus status, int from, int limit, ActorRef<StatusReply<JobPage>> replyTo)
      implements Command {}

  /** Cancels one job (a queue job's cancel), leaving the rest of the execution running. */
  public record CancelJob(String jobId, Principal by, ActorRef<StatusReply<ExecutionState>> replyTo)
      implements Command {
    public CancelJob(String jobId, ActorRef<StatusReply<ExecutionState>> replyTo) {
      this(jobId, null, replyTo);
    }
  }

  public record LinkCheckpoint(String checkpointId, ActorRef<StatusReply<ExecutionState>> replyTo)
      implements Command {}

  /** A worker began running an attempt; {@code workerNode}: its cluster node (null for HTTP workers). */
  public record ReportStarted(String jobId, String attemptId, String workerId, String workerNode, long at)
      implements Command {}

  /**
   * Progress of a running attempt; {@code replyTo} (may be null) hears STALE_ATTEMPT when it is not current, and
   * FORBIDDEN when {@code workerId} (null: not said, as in messages of older nodes) is not the worker running it.
   * {@code logs}: output lines printed since the last report (null: none, as in messages of older nodes).
   */
  public record ReportProgress(String jobId, String attemptId, Double percent, String message, JsonNode checkpoint,
      String workerId, ActorRef<StatusReply<Done>> replyTo, String logs) implements Command {
    public ReportProgress(String jobId, String attemptId, Double percent, String message, JsonNode checkpoint,
        String workerId, ActorRef<StatusReply<Done>> replyTo) {
      this(jobId, attemptId, percent, message, checkpoint, workerId, replyTo, null);
    }

    public ReportProgress(String jobId, String attemptId, Double percent, String message, JsonNode checkpoint,
        ActorRef<StatusReply<Done>> replyTo) {
      this(jobId, attemptId, percent, message, checkpoint, null, replyTo, null);
    }
  }

  /**
   * An attempt ended on its worker. Workers repeat it until they get an answer. Refused with FORBIDDEN, changing
   * nothing, when the attempt runs on another worker than {@code workerId}.
   */
  public record ReportFinished(String jobId, String attemptId, String workerId, boolean success, JsonNode output,
      String error, String logs, long startedAt, long finishedAt, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * Results of attempts ended on one cluster worker, told (not asked) many per message. The Execution decides each
   * like a {@link ReportFinished} (their own {@code replyTo} is null) and, after the write that stores them, tells
   * {@code ackTo} ONE {@link WorkerProtocol.ResultsAcknowledged} per write listing every attempt it decided on
   * (stored, or refused as stale or not the worker's). The worker repeats what is not acknowledged; a repeat of a
   * stored result is stale and acknowledged again, never stored twice.
   */
  public record ReportResults(List<ReportFinished> results, ActorRef<WorkerProtocol.ResultsAcknowledged> ackTo)
      implements Command {}

  /** The registry lost the worker of an attempt (node down, worker expired or removed). */
  public record ReportLost(String jobId, String attemptId, String reason) implements Command {}

  /** Starts the entity (after a restart) so that it resumes its work; it does nothing else. */
  public enum Wake implements Command { INSTANCE }

  /** Offer queued attempts and track running ones again (a registry restarted and lost its soft state). */
  public enum Reoffer implements Command { INSTANCE }

  /** A finished execution about to be deleted (retention) leaves memory now; an unfinished one stays. */
  public record Forget(ActorRef<Done> replyTo) implements Command {}

  /** Sharding's stop message after a passivation: messages that arrived meanwhile are delivered again. */
  public enum Stop implements Command { INSTANCE }
}
