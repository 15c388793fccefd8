package io.gantry.protocol;

import java.util.List;
import java.util.Map;

/**
 * Jobs of one execution (the answer to {@code ExecutionProtocol.ListJobs}): {@code next} is the position to read on
 * from, -1 when no further job matched; {@code counts} holds every job status of the execution, zeros left out.
 */
public record JobPage(String executionId, long createdAt, List<JobDetail> items, int next,
    Map<JobStatus, Integer> counts) implements CborSerializable {

  public int count(JobStatus status) {
    return counts.getOrDefault(status, 0);
  }
}
