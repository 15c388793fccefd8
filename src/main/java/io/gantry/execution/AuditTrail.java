package io.gantry.execution;

import io.gantry.protocol.AuditEntry;
import io.gantry.protocol.Principal;
import java.util.List;
import java.util.Optional;

/** The user actions among an execution's stored events, as {@link AuditEntry}s (the rest are none of its business). */
final class AuditTrail {
  private AuditTrail() {}

  static Optional<AuditEntry> entry(long sequenceNr, ExecutionEvent event) {
    if (event instanceof ExecutionEvent.Submitted e) {
      return Optional.of(new AuditEntry(sequenceNr, "submitted", e.by(), List.of(), e.at()));
    } else if (event instanceof ExecutionEvent.Paused e) {
      return Optional.of(new AuditEntry(sequenceNr, "paused", e.by(), List.of(), e.at()));
    } else if (event instanceof ExecutionEvent.Resumed e) {
      return Optional.of(new AuditEntry(sequenceNr, "resumed", e.by(), List.of(), e.at()));
    } else if (event instanceof ExecutionEvent.Cancelled e) {
      return Optional.of(new AuditEntry(sequenceNr, "cancelled", e.by(), e.jobIds(), e.at()));
    } else if (event instanceof ExecutionEvent.JobCancelled e) {
      return Optional.of(new AuditEntry(sequenceNr, "job-cancelled", e.by(), List.of(e.jobId()), e.at()));
    } else if (event instanceof ExecutionEvent.Retried e) {
      return Optional.of(new AuditEntry(sequenceNr, "retried", e.by(), e.jobIds(), e.at()));
    }
    return Optional.empty();
  }

  /** {@code events} with {@code by} set on those that record a user's action (cancel, retry); the rest as they are. */
  static List<ExecutionEvent> stamped(Principal by, List<ExecutionEvent> events) {
    return events.stream().map(e -> stamped(by, e)).toList();
  }

  private static ExecutionEvent stamped(Principal by, ExecutionEvent e) {
    if (e instanceof ExecutionEvent.Cancelled c) {
      return new ExecutionEvent.Cancelled(c.jobIds(), c.at(), by);
    } else if (e instanceof ExecutionEvent.JobCancelled c) {
      return new ExecutionEvent.JobCancelled(c.jobId(), c.attemptId(), c.at(), by);
    } else if (e instanceof ExecutionEvent.Retried r) {
      return new ExecutionEvent.Retried(r.jobIds(), r.at(), by);
    }
    return e;
  }
}
