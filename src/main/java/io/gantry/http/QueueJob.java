package io.gantry.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobStatus;

/**
 * A job as the queue API shows it (API.md §3 {@code QueueJob}): {@code id} is {@code executionId:jobId}, the status is
 * the job's; {@code workerId}, {@code progress} and {@code blockedBy} say where it runs or why it waits.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record QueueJob(String id, String executionId, String jobId, String type, int priority, JobStatus status,
    int attempts, Long createdAt, Long startedAt, Long completedAt, String error, String workerId, Double progress,
    Long nextAttemptAt, String blockedBy) {

  static QueueJob of(JobDetail d, Long createdAt) {
    return new QueueJob(d.executionId() + ":" + d.jobId(), d.executionId(), d.jobId(), d.type(), d.priority(),
        d.status(), d.attempts(), createdAt, d.startedAt(), d.completedAt(), d.error(), d.workerId(), d.progress(),
        d.nextAttemptAt(), d.blockedBy());
  }

  /** The execution and job of a queue id; job ids never contain ':', so it splits at the last one. */
  record Ref(String executionId, String jobId) {
    static Ref parse(String queueId) {
      int colon = queueId.lastIndexOf(':');
      if (colon <= 0 || colon == queueId.length() - 1) {
        throw ApiException.of(ErrorCode.NOT_FOUND, "no queue job '" + queueId
            + "': queue job ids are executionId:jobId, as POST /queue/jobs answered");
      }
      return new Ref(queueId.substring(0, colon), queueId.substring(colon + 1));
    }
  }
}
