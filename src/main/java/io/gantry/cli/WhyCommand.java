package io.gantry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.WorkerInfo;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry why ID JOB}: GET /execute/{id}/jobs/{jobId}, its {@code blockedBy} and attempts in words. */
@Command(name = "why", description = {"Explain why a job waits (its dependencies, a paused execution or queue, no "
    + "capable worker, full capacity, a concurrency key, the rate limit, a retry's backoff), or where it runs and "
    + "how it ended.", "--json prints the job's detail as the API gives it."})
final class WhyCommand extends ApiCommand {
  /** API.md §2: job ids. */
  static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final TypeReference<List<WorkerInfo>> WORKERS = new TypeReference<>() {};

  @Parameters(index = "0", paramLabel = "ID", description = "execution id")
  String executionId;

  @Parameters(index = "1", paramLabel = "JOB", description = "job id")
  String jobId;

  @Override
  int run(ApiClient client) {
    ApiClient.Answer answer = jobDetail(client, executionId, jobId);
    if (printedRaw(answer)) {
      return 0;
    }
    JobDetail job = answer.as(JobDetail.class);
    Supplier<ExecutionState> execution = memo(() -> client.get("execute/" + ApiClient.segment(executionId)
        + "/status", executionNotFound(executionId)).as(ExecutionState.class));
    Supplier<List<WorkerInfo>> workers = memo(() -> client.get("workers/list", null).as(WORKERS));
    print(new JobExplanation(job, tree(answer), execution, workers, System.currentTimeMillis()).render());
    return 0;
  }

  /** The job's detail; a blank execution id or a job id that cannot be one is bad input, never sent. */
  static ApiClient.Answer jobDetail(ApiClient client, String executionId, String jobId) {
    if (executionId.isBlank()) {
      throw CliFailure.badInput("the execution id is empty");
    }
    if (!JOB_ID.matcher(jobId).matches()) {
      throw CliFailure.badInput("'" + jobId + "' is not a job id (1 to 64 of A-Z a-z 0-9 . _ -)");
    }
    return client.get("execute/" + ApiClient.segment(executionId) + "/jobs/" + ApiClient.segment(jobId), null);
  }

  private static JsonNode tree(ApiClient.Answer answer) {
    try {
      return ApiClient.MAPPER.readTree(answer.body());
    } catch (JsonProcessingException e) {
      throw CliFailure.failed("Gantry's answer is not JSON");
    }
  }

  private static <T> Supplier<T> memo(Supplier<T> read) {
    return new Supplier<>() {
      private T value;

      @Override
      public T get() {
        if (value == null) {
          value = read.get();
        }
        return value;
      }
    };
  }
}
