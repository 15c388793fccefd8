package io.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.protocol.JobOffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** The {@link JobContext} of one attempt on a worker node; progress goes straight to the job's Execution. */
final class AttemptContext implements JobContext {
  private final JobOffer offer;
  private final AttemptReporter reporter;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  volatile String cancelReason;

  AttemptContext(JobOffer offer, AttemptReporter reporter) {
    this.offer = offer;
    this.reporter = reporter;
  }

  JobOffer offer() {
    return offer;
  }

  @Override
  public String attemptId() {
    return offer.attemptId();
  }

  @Override
  public String executionId() {
    return offer.executionId();
  }

  @Override
  public String jobId() {
    return offer.jobId();
  }

  @Override
  public String type() {
    return offer.type();
  }

  @Override
  public JsonNode config() {
    return offer.config() == null ? JsonNodeFactory.instance.objectNode() : offer.config();
  }

  @Override
  public ObjectNode dependencyOutputs() {
    return offer.dependencyOutputs() == null ? JsonNodeFactory.instance.objectNode() : offer.dependencyOutputs();
  }

  @Override
  public int attempt() {
    return offer.attempt();
  }

  @Override
  public JsonNode lastCheckpoint() {
    return offer.lastCheckpoint();
  }

  @Override
  public long timeoutMs() {
    return offer.timeoutMs();
  }

  @Override
  public void progress(Double percent, String message, JsonNode checkpoint, String logs) {
    if (!cancelled.get()) {
      // a cluster member reports for its own agent: no worker id to check
      reporter.progress(offer.executionId(), offer.jobId(), offer.attemptId(), percent, message, checkpoint, logs,
          null, null);
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public void onCancel(Runnable action) {
    onCancel.add(action);
    if (cancelled.get()) {
      action.run();
    }
  }

  /** Cancels once; runs the registered actions on the caller's thread (they must not block for long). */
  void cancel(String reason) {
    if (cancelled.compareAndSet(false, true)) {
      cancelReason = reason;
      for (Runnable r : onCancel) {
        try {
          r.run();
        } catch (RuntimeException ignored) {
          // A failing cancel action must not stop the others.
        }
      }
    }
  }
}
