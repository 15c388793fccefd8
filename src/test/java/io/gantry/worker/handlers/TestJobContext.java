package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.worker.JobContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A JobContext for handler tests: fixed inputs, recorded progress, and a {@link #cancel()} button. */
final class TestJobContext implements JobContext {

  record Progress(Double percent, String message, JsonNode checkpoint) {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode config;
  private final ObjectNode dependencyOutputs = MAPPER.createObjectNode();
  private final List<Progress> progress = new CopyOnWriteArrayList<>();
  private final List<String> liveLogs = new CopyOnWriteArrayList<>();
  private final List<Runnable> cancelActions = new CopyOnWriteArrayList<>();
  private int attempt = 1;
  private JsonNode lastCheckpoint;
  private long timeoutMs;
  private volatile boolean cancelled;

  TestJobContext(JsonNode config) {
    this.config = config;
  }

  /** A config written with ' for ". */
  TestJobContext(String configJson) {
    this(parse(configJson.replace('\'', '"')));
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  TestJobContext attempt(int attempt) {
    this.attempt = attempt;
    return this;
  }

  TestJobContext lastCheckpoint(JsonNode checkpoint) {
    this.lastCheckpoint = checkpoint;
    return this;
  }

  TestJobContext timeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }

  TestJobContext dependencyOutput(String jobId, JsonNode output) {
    dependencyOutputs.set(jobId, output);
    return this;
  }

  void cancel() {
    cancelled = true;
    cancelActions.forEach(Runnable::run);
  }

  /** The output lines sent while the attempt ran, one text per report. */
  List<String> liveLogs() {
    return liveLogs;
  }

  List<Progress> reported() {
    return progress;
  }

  @Override
  public String attemptId() {
    return "att-" + attempt;
  }

  @Override
  public String executionId() {
    return "exec-1";
  }

  @Override
  public String jobId() {
    return "job-1";
  }

  @Override
  public String type() {
    return "test";
  }

  @Override
  public JsonNode config() {
    return config;
  }

  @Override
  public ObjectNode dependencyOutputs() {
    return dependencyOutputs;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public JsonNode lastCheckpoint() {
    return lastCheckpoint;
  }

  @Override
  public long timeoutMs() {
    return timeoutMs;
  }

  @Override
  public void progress(Double percent, String message, JsonNode checkpoint, String logs) {
    if (percent != null || message != null || checkpoint != null || logs == null) {
      progress.add(new Progress(percent, message, checkpoint));
    }
    if (logs != null) {
      liveLogs.add(logs);
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void onCancel(Runnable action) {
    cancelActions.add(action);
    if (cancelled) {
      action.run();
    }
  }
}
