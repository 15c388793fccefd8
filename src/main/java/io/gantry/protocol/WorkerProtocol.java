package io.gantry.protocol;

import java.time.Duration;
import org.apache.pekko.Done;

/** The protocol of WorkerAgent: the messages it understands and the replies it sends. */
public final class WorkerProtocol {
  /**
   * How often cluster workers heartbeat: often (it is cheap), so a restarted registry learns their attempts
   * quickly; the registry derives its expiry of cluster workers from it.
   */
  public static final Duration CLUSTER_HEARTBEAT = Duration.ofSeconds(2);

  private WorkerProtocol() {}

  /** Every message a cluster worker (WorkerAgent) understands, and what workers tell registries they hold. */
  public sealed interface Command extends CborSerializable {}

  /** Messages a WorkerAgent sends itself (timers, answers of its asks); never sent from outside. */
  public non-sealed interface Internal extends Command {}

  /** Run this attempt (from the registry). */
  public record Run(JobOffer offer) implements Command {}

  /** Stop this attempt (cancel, timeout elsewhere, or it is no longer current). */
  public record CancelAttempt(String attemptId) implements Command {}

  /**
   * The Execution decided on these reported results (stored them, or refused them as stale): the worker holds them
   * no more. One per write of the Execution, for the results of {@link ExecutionProtocol.ReportResults}.
   */
  public record ResultsAcknowledged(java.util.List<String> attemptIds) implements Command {}

  /** Hand every running attempt back and leave the registry (clean shutdown). */
  public record Leave(org.apache.pekko.actor.typed.ActorRef<Done> replyTo) implements Command {}

  /**
   * An attempt this worker holds (running, or finished with its result not yet acknowledged), as told to the
   * registry in every registration and heartbeat: the registry declares an attempt of a live worker lost only
   * when the worker leaves it out.
   */
  public record RunningAttempt(String attemptId, String executionId, String jobId) implements CborSerializable {}
}
