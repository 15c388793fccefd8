package io.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;

/** How one attempt ended: success with an output, or failure with an error. {@code logs} is a bounded tail. */
public record JobOutcome(boolean success, JsonNode output, String error, String logs) {

  public static JobOutcome succeeded(JsonNode output) {
    return new JobOutcome(true, output, null, null);
  }

  public static JobOutcome failed(String error) {
    return new JobOutcome(false, null, error, null);
  }

  public JobOutcome withLogs(String logs) {
    return new JobOutcome(success, output, error, logs);
  }
}
