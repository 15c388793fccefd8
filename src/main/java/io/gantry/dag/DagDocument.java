package io.gantry.dag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A DAG document exactly as submitted (API.md §2). It is persisted inside events, so it round-trips
 * through Jackson (JSON and CBOR) unchanged; {@link Dag#of} validates it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DagDocument(
    String workflowId, String executionId, Integer priority, JsonNode metadata, List<JobSpec> jobs) {

  public DagDocument withExecutionId(String executionId) {
    return new DagDocument(workflowId, executionId, priority, metadata, jobs);
  }
}
