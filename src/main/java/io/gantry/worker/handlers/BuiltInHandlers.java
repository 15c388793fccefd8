package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.worker.JobHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The job types every worker node runs (API.md §2): shell, noop, sleep and fail. */
public final class BuiltInHandlers {

  private BuiltInHandlers() {}

  /**
   * @param workDirRoot where shell attempts get their scratch directory
   * @param logTailBytes how much of a shell job's output is kept as its logs
   */
  public static Map<String, JobHandler> create(Path workDirRoot, int logTailBytes, ObjectMapper mapper) {
    return create(workDirRoot, logTailBytes, mapper, null);
  }

  /**
   * @param allowedShellPrograms null: shell jobs start any program; else only these, in
   *     {@link io.gantry.dag.ShellAllowList} canonical form
   */
  public static Map<String, JobHandler> create(Path workDirRoot, int logTailBytes, ObjectMapper mapper,
      Set<String> allowedShellPrograms) {
    return Map.of(
        "shell", new ShellHandler(workDirRoot, logTailBytes, mapper, allowedShellPrograms),
        "noop", new NoopHandler(),
        "sleep", new SleepHandler(),
        "fail", new FailHandler());
  }

  /** {@code config.output} when the job gives one, else the handler's own result. */
  static JsonNode configuredOutputOr(JsonNode config, Supplier<JsonNode> fallback) {
    JsonNode output = config.get("output");
    return output != null && !output.isNull() ? output : fallback.get();
  }
}
