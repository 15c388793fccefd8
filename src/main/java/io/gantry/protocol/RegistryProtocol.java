package io.gantry.protocol;

import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The protocol of WorkerRegistry: the messages it understands and the replies it sends. */
public final class RegistryProtocol {
  private RegistryProtocol() {}

  /** Every message the WorkerRegistry of a pool understands (sharded by pool), and its replies. */
  public sealed interface Command extends CborSerializable {}

  /** Messages a WorkerRegistry sends itself (timers, cluster events, Redis answers); never sent from outside. */
  public non-sealed interface Internal extends Command {}

  /** Attempts an Execution wants run. Idempotent by attempt id. */
  public record Offer(List<JobOffer> offers) implements Command {}

  /** Attempts an Execution believes are running; any no worker claims within the grace are reported lost. */
  public record Track(String executionId, List<TrackedAttempt> attempts) implements Command {}

  /** Queued attempts to take back (the execution paused); running ones go on. */
  public record Withdraw(List<String> attemptIds) implements Command {}

  /** Attempts not wanted any more (cancel, timeout): queued ones leave the queue, running ones are stopped. */
  public record CancelAttempts(List<String> attemptIds) implements Command {}

  /** A worker finished with an attempt (whatever the outcome): its slot is free. */
  public record AttemptEnded(String workerId, String attemptId) implements Command {}

  /** {@code running}: the attempts the worker holds, as for {@link Heartbeat#holding}; null when it does not say. */
  public record Register(WorkerRegistration registration, ActorRef<WorkerProtocol.Command> agent,
      List<WorkerProtocol.RunningAttempt> running, ActorRef<StatusReply<Registered>> replyTo) implements Command {}

  public record Registered(String workerId, long heartbeatIntervalMs, long ttlMs) implements CborSerializable {}

  /**
   * Errors with NOT_FOUND when the worker is unknown or expired: it must register again. {@code holding} lists the
   * attempts the worker holds (running, or finished with the result not yet acknowledged); null when it does not say.
   */
  public record Heartbeat(String workerId, Integer currentLoad, List<WorkerProtocol.RunningAttempt> holding,
      ActorRef<StatusReply<Done>> replyTo) implements Command {
    public Heartbeat(String workerId, Integer currentLoad, ActorRef<StatusReply<Done>> replyTo) {
      this(workerId, currentLoad, null, replyTo);
    }
  }

  /** Removes a worker at once; the attempts it ran are re-queued as new attempts. */
  public record Deregister(String workerId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** An HTTP worker's long poll: answered with up to {@code max} attempts as soon as one is assigned, else empty. */
  public record Poll(String workerId, int max, long waitMs, ActorRef<StatusReply<PolledJobs>> replyTo)
      implements Command {}

  public record GetWorkers(ActorRef<Workers> replyTo) implements Command {}

  /** The pool's workers (a record: replies cross nodes, and a bare list would need Java serialization). */
  public record Workers(List<WorkerInfo> workers) implements CborSerializable {}

  /** Attempts handed to an HTTP worker's poll. */
  public record PolledJobs(List<JobOffer> jobs) implements CborSerializable {}

  public record GetWorker(String workerId, ActorRef<StatusReply<WorkerInfo>> replyTo) implements Command {}

  public record GetStats(ActorRef<QueueStats> replyTo) implements Command {}

  /** Why a queued attempt waits ({@code blockedBy}); null reason when it is not queued here. */
  public record Explain(String attemptId, ActorRef<Explanation> replyTo) implements Command {}

  public record Explanation(String attemptId, String reason) implements CborSerializable {}

  public record PauseQueue(ActorRef<Done> replyTo) implements Command {}

  public record ResumeQueue(ActorRef<Done> replyTo) implements Command {}

  /** Cancels every queued attempt; answers how many. */
  /** {@code by}: who drains, recorded on each job's cancel (null: not said, as in messages of older nodes). */
  public record Drain(Principal by, ActorRef<Integer> replyTo) implements Command {
    public Drain(ActorRef<Integer> replyTo) {
      this(null, replyTo);
    }
  }
}
