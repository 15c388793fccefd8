package io.gantry.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** One health check's answer: UP with its figures, or DOWN with a reason a person can act on. */
record HealthReport(boolean up, String reason, Map<String, Object> details) {

  static HealthReport up(Map<String, Object> details) {
    return new HealthReport(true, null, details);
  }

  static HealthReport down(String reason, Map<String, Object> details) {
    return new HealthReport(false, reason, details);
  }

  /** The JSON body: {@code {status: "UP"|"DOWN", reason?, ...details}}. */
  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    if (reason != null) {
      body.put("reason", reason);
    }
    body.putAll(details);
    return body;
  }
}
