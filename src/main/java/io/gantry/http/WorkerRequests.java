package io.gantry.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The request bodies of the /workers endpoints (API.md §3); absent fields are null and get their defaults. */
final class WorkerRequests {
  private WorkerRequests() {}

  /** POST /workers/register; {@code runningAttempts} (optional): the attempt ids the worker holds (see Heartbeat). */
  record Register(String workerId, String pool, String hostname, Long pid, List<String> capabilities,
      Integer maxConcurrency, List<String> jobTypes, Metadata metadata, List<String> runningAttempts) {}

  record Metadata(Integer cpuCores, Double memoryGB, Integer gpuCount, String version, String platform) {}

  /**
   * POST /workers/{id}/heartbeat; the body is optional. {@code runningAttempts} (optional) lists the attempt ids the
   * worker holds: running, or finished with the complete not yet answered. A worker that sends it never has an
   * attempt declared lost while it is alive and lists it, and has the ones it lists re-adopted after a registry
   * restart.
   */
  record Heartbeat(Integer currentLoad, List<String> runningAttempts) {
    static final Heartbeat EMPTY = new Heartbeat(null, null);
  }

  /** POST /workers/{id}/poll; the body is optional. */
  record Poll(Integer max, Long waitMs) {
    static final Poll EMPTY = new Poll(null, null);
  }

  /** POST /workers/{id}/jobs/{attemptId}/progress; {@code logs}: output lines printed since the last report. */
  record Progress(Double percent, String message, JsonNode checkpoint, String logs) {}

  /** POST /workers/{id}/jobs/{attemptId}/complete; {@code error} and {@code logs} may be text or JSON. */
  record Complete(Boolean success, JsonNode output, JsonNode error, JsonNode logs, CompleteMetadata metadata) {}

  record CompleteMetadata(Long executionTime, JsonNode memoryUsed, JsonNode cpuUsed) {}
}
