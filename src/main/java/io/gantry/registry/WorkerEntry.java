package io.gantry.registry;

import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The registry's bookkeeping for one worker (owned by the registry actor; mutable). */
final class WorkerEntry {
  WorkerRegistration registration;
  /** The agent of a worker node; null for HTTP workers, which poll instead. */
  ActorRef<WorkerProtocol.Command> agent;
  final long registeredAt;
  long lastHeartbeat;
  int reportedLoad;
  boolean unreachable;
  long unreachableSince;
  Long offlineSince;
  /** Attempts the worker said it runs when it (re)registered, not assigned by this registry incarnation. */
  final Map<String, AdoptedAttempt> adopted = new HashMap<>();
  /** The HTTP worker's open long-poll, if any. */
  OpenPoll poll;

  WorkerEntry(WorkerRegistration registration, ActorRef<WorkerProtocol.Command> agent, long now) {
    this.registration = registration;
    this.agent = agent;
    this.registeredAt = now;
    this.lastHeartbeat = now;
  }

  String id() {
    return registration.workerId();
  }

  boolean offline() {
    return offlineSince != null;
  }

  record AdoptedAttempt(String attemptId, String executionId, String jobId) {}

  static final class OpenPoll {
    final long id;
    final int max;
    final ActorRef<StatusReply<RegistryProtocol.PolledJobs>> replyTo;
    final List<JobOffer> collected = new ArrayList<>();

    OpenPoll(long id, int max, ActorRef<StatusReply<RegistryProtocol.PolledJobs>> replyTo) {
      this.id = id;
      this.max = max;
      this.replyTo = replyTo;
    }
  }
}
