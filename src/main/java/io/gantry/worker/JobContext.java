package io.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link JobHandler} gets for one attempt. Thread-safe: handlers may report progress from any thread.
 */
public interface JobContext {

  String attemptId();

  String executionId();

  String jobId();

  String type();

  /** The job's {@code config} from the DAG document (an empty object when absent). */
  JsonNode config();

  /** Each direct dependency's id mapped to that dependency's output. */
  ObjectNode dependencyOutputs();

  /** 1 for the first attempt. */
  int attempt();

  /** The last checkpoint any earlier attempt of this job reported, or null. */
  JsonNode lastCheckpoint();

  /** Per-attempt timeout in ms, 0 for none. The worker cancels the attempt when it expires. */
  long timeoutMs();

  /** Reports progress; {@code percent}, {@code message} and {@code checkpoint} may each be null. */
  default void progress(Double percent, String message, JsonNode checkpoint) {
    progress(percent, message, checkpoint, null);
  }

  /** Reports progress with the output lines printed since the last report ({@code logs}, may be null). */
  void progress(Double percent, String message, JsonNode checkpoint, String logs);

  /** True once the attempt was cancelled, timed out or the worker is shutting down. */
  boolean isCancelled();

  /**
   * Runs {@code action} when the attempt is cancelled (at once if it already is), e.g. to kill a process.
   */
  void onCancel(Runnable action);
}
