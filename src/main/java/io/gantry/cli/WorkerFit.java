package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.WorkerInfo;
import io.gantry.protocol.WorkerRegistration;
import java.util.ArrayList;
import java.util.List;

/** What a worker lacks to run a job, from what the API shows of both (API.md §2: capabilities and requirements). */
final class WorkerFit {
  private WorkerFit() {}

  /**
   * {@code requiredCapabilities} and {@code requirements}: the job's, as JSON (missing when the server does not
   * give them: then only the type and the worker's health are checked). Empty when the worker fits.
   */
  static List<String> lacks(WorkerInfo w, String type, JsonNode requiredCapabilities, JsonNode requirements) {
    List<String> lacks = new ArrayList<>();
    if ("unhealthy".equals(w.status()) || "offline".equals(w.status())) {
      lacks.add("health (it is " + w.status() + ")");
    }
    if (type != null && w.jobTypes() != null && !w.jobTypes().isEmpty() && !w.jobTypes().contains(type)) {
      lacks.add("job type " + type + " (it takes " + String.join(",", w.jobTypes()) + ")");
    }
    List<String> caps = w.capabilities() == null ? List.of() : w.capabilities();
    List<String> missing = new ArrayList<>();
    requiredCapabilities.forEach(c -> {
      if (!caps.contains(c.asText())) {
        missing.add(c.asText());
      }
    });
    if (!missing.isEmpty()) {
      lacks.add("capabilities " + String.join(",", missing) + " (it has " + (caps.isEmpty() ? "none"
          : String.join(",", caps)) + ")");
    }
    WorkerRegistration.Metadata m = w.metadata();
    if (requirements.isObject()) {
      JsonNode memory = requirements.path("minMemoryGB");
      if (memory.isNumber() && (m == null || m.memoryGB() == null || m.memoryGB() < memory.asDouble())) {
        lacks.add("memory >= " + memory.asText() + " GB (it has " + (m == null || m.memoryGB() == null ? "?"
            : m.memoryGB()) + ")");
      }
      JsonNode cores = requirements.path("minCpuCores");
      if (cores.isNumber() && (m == null || m.cpuCores() == null || m.cpuCores() < cores.asInt())) {
        lacks.add("cpu cores >= " + cores.asText() + " (it has " + (m == null || m.cpuCores() == null ? "?"
            : m.cpuCores()) + ")");
      }
      if (requirements.path("requireGpu").asBoolean(false) && (m == null || m.gpuCount() == null
          || m.gpuCount() < 1)) {
        lacks.add("a GPU");
      }
    }
    return lacks;
  }
}
