package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of {@code GET /execute}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExecutionPage(List<ExecutionSummary> items, String nextCursor) {

  /** One line of a listing. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ExecutionSummary(String executionId, String workflowId, ExecutionStatus status, long createdAt,
      Long completedAt, int jobCount) {}
}
