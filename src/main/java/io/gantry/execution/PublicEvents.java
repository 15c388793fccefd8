package io.gantry.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.protocol.AttemptIds;
import io.gantry.protocol.Principal;
import io.gantry.protocol.PublicEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps journal events to {@link PublicEvent}s: one per attempt of {@code JobsQueued} (job-queued), one per job of
 * {@code JobsSkipped} (job-skipped); a failure with a retry due and a lost attempt are job-retrying, a failure for good
 * is job-failed; {@code Finished} and {@code Cancelled} end the execution. Beyond API.md's list: execution-retried,
 * checkpoint-linked and job-cancelled (one job of a larger DAG cancelled). {@code Submitted} has no public event (the
 * job-queued events follow it). The events of user actions (paused, resumed, cancelled, job-cancelled, retried) carry
 * {@code by: {name, role}}, who asked (null when not recorded).
 */
public final class PublicEvents {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private PublicEvents() {}

  public static List<PublicEvent> of(String executionId, long sequenceNr, ExecutionEvent event) {
    List<PublicEvent> out = new ArrayList<>(1);
    if (event instanceof ExecutionEvent.JobsQueued e) {
      e.attempts().forEach(a -> {
          AttemptIds.Parsed p = AttemptIds.parse(a.attemptId());
          out.add(job("job-queued", executionId, sequenceNr, a.jobId(), a.attemptId(), e.at())
            .put("attempt", p == null ? 0 : p.number()).build());
        });
    } else if (event instanceof ExecutionEvent.JobStarted e) {
      out.add(job("job-started", executionId, sequenceNr, e.jobId(),
          e.attemptId(), e.at()).put("workerId", e.workerId()).build());
    } else if (event instanceof ExecutionEvent.JobProgressed e) {
      out.add(job("job-progress", executionId, sequenceNr, e.jobId(),
          e.attemptId(), e.at()).put("percent", e.percent()).put("message", e.message())
          .put("checkpoint", e.checkpoint()).put("logs", e.logs()).build());
    } else if (event instanceof ExecutionEvent.JobSucceeded e) {
      out.add(job("job-completed", executionId, sequenceNr, e.jobId(),
          e.attemptId(), e.at()).put("output", e.output()).put("executionTimeMs", e.executionTimeMs())
          .put("logs", e.logs()).build());
    } else if (event instanceof ExecutionEvent.JobFailed e) {
      out.add(job(e.retryAt() != null ? "job-retrying" : "job-failed",
          executionId, sequenceNr, e.jobId(), e.attemptId(), e.at()).put("error", e.error())
          .put("timedOut", e.timedOut()).put("retryAt", e.retryAt()).put("logs", e.logs()).build());
    } else if (event instanceof ExecutionEvent.AttemptLost e) {
      out.add(job("job-retrying", executionId, sequenceNr, e.jobId(),
          e.attemptId(), e.at()).put("reason", e.reason()).put("lost", true).build());
    } else if (event instanceof ExecutionEvent.JobsSkipped e) {
      e.jobIds().forEach(id -> out.add(job("job-skipped", executionId,
          sequenceNr, id, null, e.at()).put("becauseOf", e.becauseOf()).build()));
    } else if (event instanceof ExecutionEvent.Paused e) {
      out.add(execution("execution-paused", executionId, sequenceNr, e.at()).by(e.by()).build());
    } else if (event instanceof ExecutionEvent.Resumed e) {
      out.add(execution("execution-resumed", executionId, sequenceNr, e.at()).by(e.by()).build());
    } else if (event instanceof ExecutionEvent.Cancelled e) {
      out.add(execution("execution-cancelled", executionId, sequenceNr, e.at())
          .put("jobIds", e.jobIds()).by(e.by()).build());
    } else if (event instanceof ExecutionEvent.JobCancelled e) {
      out.add(job("job-cancelled", executionId, sequenceNr, e.jobId(), e.attemptId(), e.at()).by(e.by()).build());
    } else if (event instanceof ExecutionEvent.Retried e) {
      out.add(execution("execution-retried", executionId, sequenceNr, e.at())
          .put("jobIds", e.jobIds()).by(e.by()).build());
    } else if (event instanceof ExecutionEvent.CheckpointLinked e) {
      out.add(execution("checkpoint-linked", executionId, sequenceNr,
          e.at()).put("checkpointId", e.checkpointId()).build());
    } else if (event instanceof ExecutionEvent.Finished e) {
      out.add(execution("execution-" + e.status().wireName(), executionId,
          sequenceNr, e.at()).put("status", e.status().wireName()).build());
    }
    return out;
  }

  private static Builder job(String type, String executionId, long seq, String jobId, String attemptId, long at) {
    return new Builder(type, executionId, seq, jobId, attemptId, at);
  }

  private static Builder execution(String type, String executionId, long seq, long at) {
    return new Builder(type, executionId, seq, null, null, at);
  }

  /** Builds {@code data}; absent values are JSON null, so every event of a type has the same fields. */
  private static final class Builder {
    private final String type;
    private final String executionId;
    private final long seq;
    private final ObjectNode data = F.objectNode();

    Builder(String type, String executionId, long seq, String jobId, String attemptId, long at) {
      this.type = type;
      this.executionId = executionId;
      this.seq = seq;
      data.put("executionId", executionId).put("jobId", jobId).put("attemptId", attemptId).put("time", at);
    }

    Builder put(String field, Object value) {
      if (value == null) {
        data.putNull(field);
      } else if (value instanceof JsonNode n) {
        data.set(field, n);
      } else if (value instanceof String s) {
        data.put(field, s);
      } else if (value instanceof Boolean b) {
        data.put(field, b);
      } else if (value instanceof Integer i) {
        data.put(field, i);
      } else if (value instanceof Long l) {
        data.put(field, l);
      } else if (value instanceof Double d) {
        data.put(field, d);
      } else if (value instanceof List<?> list) {
        list.forEach(item -> data.withArray(field).add(String.valueOf(item)));
        if (list.isEmpty()) {
          data.putArray(field);
        }
      } else {
        data.put(field, value.toString());
      }
      return this;
    }

    /** {@code by: {name, role}} of a user action (null when not recorded). */
    Builder by(Principal by) {
      if (by == null) {
        data.putNull("by");
      } else {
        data.putObject("by").put("name", by.name()).put("role", by.role());
      }
      return this;
    }

    PublicEvent build() {
      return new PublicEvent(type, seq, executionId, data);
    }
  }
}
