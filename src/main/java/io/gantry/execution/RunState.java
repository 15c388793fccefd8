package io.gantry.execution;

import io.gantry.dag.Dag;
import io.gantry.decision.RunView;
import io.gantry.execution.ExecutionEvent.*;
import io.gantry.protocol.AttemptIds;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;

/**
 * A submitted execution's state: the fold of its events. Mutable for speed (a 10,000-job DAG would otherwise be
 * copied on every event), and safe because only {@link #apply} changes it, on the entity's own thread, called by
 * {@link Phase#applied}; snapshots take an immutable copy ({@link ExecutionSnapshot}). It is its own
 * {@link RunView} for the decider, read in place.
 */
final class RunState implements RunView {
  final String executionId;
  Dag dag;
  ExecutionStatus status = ExecutionStatus.PENDING;
  long createdAt;
  Long startedAt;
  Long completedAt;
  String checkpointId;
  JobRun[] jobs = new JobRun[0];
  /** Jobs not completed, failed, cancelled or skipped. */
  int unsettled;
  final int[] countByStatus = new int[JobStatus.values().length];
  /** Events of buffered reports applied before their write, which the event handler skips (never stored). */
  int appliedAhead;

  RunState(String executionId) {
    this.executionId = executionId;
  }

  boolean exists() {
    return dag != null;
  }

  JobRun job(String jobId) {
    int i = dag.indexOf(jobId);
    return i < 0 ? null : jobs[i];
  }

  @Override
  public int count(JobStatus s) {
    return countByStatus[s.ordinal()];
  }

  @Override
  public String nextAttemptId(int jobIndex) {
    return AttemptIds.of(executionId, dag.job(jobIndex).id(), jobs[jobIndex].attemptSerial + 1);
  }

  // ---- RunView: the fields, read in place

  @Override
  public Dag dag() {
    return dag;
  }

  @Override
  public ExecutionStatus status() {
    return status;
  }

  @Override
  public int unsettled() {
    return unsettled;
  }

  @Override
  public JobStatus jobStatus(int jobIndex) {
    return jobs[jobIndex].status;
  }

  @Override
  public int unmetDependencies(int jobIndex) {
    return jobs[jobIndex].unmetDependencies;
  }

  @Override
  public int failures(int jobIndex) {
    return jobs[jobIndex].failures;
  }

  @Override
  public Long nextAttemptAt(int jobIndex) {
    return jobs[jobIndex].nextAttemptAt;
  }

  @Override
  public String currentAttemptId(int jobIndex) {
    return jobs[jobIndex].currentAttemptId;
  }

  /** The attempt id is the job's current one, so a report about it may change the job. */
  boolean isCurrent(String jobId, String attemptId) {
    JobRun j = exists() ? job(jobId) : null;
    return j != null && attemptId != null && attemptId.equals(j.currentAttemptId);
  }

  RunState apply(ExecutionEvent event) {
    if (event instanceof Submitted e) {
      onSubmitted(e);
    } else if (event instanceof JobsQueued e) {
      for (QueuedAttempt q : e.attempts()) {
        JobRun j = job(q.jobId());
        move(j, JobStatus.QUEUED);
        j.attemptSerial++;
        j.currentAttemptId = q.attemptId();
        j.workerId = null;
        j.workerNode = null;
        j.nextAttemptAt = null;
        j.queuedAt = e.at();
      }
      if (status == ExecutionStatus.PENDING) {
        status = ExecutionStatus.RUNNING;
      }
      if (startedAt == null) {
        startedAt = e.at();
      }
    } else if (event instanceof JobStarted e) {
      JobRun j = job(e.jobId());
      move(j, JobStatus.RUNNING);
      j.attempts++;
      j.workerId = e.workerId();
      j.workerNode = e.workerNode();
      j.startedAt = e.at();
      j.completedAt = null;
      j.progress = null;
      j.recordAttemptStart(e.attemptId(), e.workerId(), e.at());
    } else if (event instanceof JobProgressed e) {
      JobRun j = job(e.jobId());
      if (e.percent() != null) {
        j.progress = e.percent();
      }
      if (e.checkpoint() != null && !e.checkpoint().isNull()) {
        j.lastCheckpoint = e.checkpoint();
      }
    } else if (event instanceof JobSucceeded e) {
      int i = dag.indexOf(e.jobId());
      JobRun j = jobs[i];
      move(j, JobStatus.COMPLETED);
      j.output = e.output();
      j.logs = e.logs();
      j.error = null;
      j.completedAt = e.at();
      j.executionTimeMs = e.executionTimeMs();
      j.currentAttemptId = null;
      j.progress = 100.0;
      j.recordAttemptEnd(e.attemptId(), "completed", null, e.at());
      for (int d : dag.dependents(i)) {
        jobs[d].unmetDependencies--;
      }
    } else if (event instanceof JobFailed e) {
      JobRun j = job(e.jobId());
      move(j, e.retryAt() != null ? JobStatus.RETRYING : JobStatus.FAILED);
      j.failures++;
      j.error = e.error();
      j.logs = e.logs();
      j.completedAt = e.at();
      j.nextAttemptAt = e.retryAt();
      j.currentAttemptId = null;
      j.recordAttemptEnd(e.attemptId(), e.timedOut() ? "timed-out" : "failed", e.error(), e.at());
    } else if (event instanceof AttemptLost e) {
      JobRun j = job(e.jobId());
      move(j, JobStatus.RETRYING);
      j.nextAttemptAt = e.at();
      j.currentAttemptId = null;
      j.recordAttemptEnd(e.attemptId(), "lost", e.reason(), e.at());
    } else if (event instanceof JobsSkipped e) {
      for (String id : e.jobIds()) {
        JobRun j = job(id);
        move(j, JobStatus.SKIPPED);
        j.error = "skipped: dependency " + e.becauseOf() + " " + job(e.becauseOf()).status.wireName();
      }
    } else if (event instanceof Paused e) {
      status = ExecutionStatus.PAUSED;
    } else if (event instanceof Resumed e) {
      status = startedAt == null ? ExecutionStatus.PENDING : ExecutionStatus.RUNNING;
    } else if (event instanceof Cancelled e) {
      for (String id : e.jobIds()) {
        JobRun j = job(id);
        if (j.currentAttemptId != null) {
          j.recordAttemptEnd(j.currentAttemptId, "cancelled", null, e.at());
        }
        move(j, JobStatus.CANCELLED);
        j.currentAttemptId = null;
        j.nextAttemptAt = null;
        j.completedAt = e.at();
      }
      status = ExecutionStatus.CANCELLED;
      completedAt = e.at();
    } else if (event instanceof JobCancelled e) {
      JobRun j = job(e.jobId());
      if (e.attemptId() != null) {
        j.recordAttemptEnd(e.attemptId(), "cancelled", null, e.at());
      }
      move(j, JobStatus.CANCELLED);
      j.error = "cancelled";
      j.currentAttemptId = null;
      j.nextAttemptAt = null;
      j.completedAt = e.at();
    } else if (event instanceof Retried e) {
      for (String id : e.jobIds()) {
        int i = dag.indexOf(id);
        JobRun j = jobs[i];
        move(j, JobStatus.WAITING);
        j.failures = 0;
        j.error = null;
        j.completedAt = null;
        j.nextAttemptAt = null;
        j.unmetDependencies = countUnmetDependencies(i);
      }
      status = ExecutionStatus.RUNNING;
      completedAt = null;
    } else if (event instanceof CheckpointLinked e) {
      checkpointId = e.checkpointId();
    } else if (event instanceof Finished e) {
      status = e.status();
      completedAt = e.at();
    }
    return this;
  }

  /** Dependencies not completed, counted from their statuses. */
  int countUnmetDependencies(int jobIndex) {
    int unmet = 0;
    for (int d : dag.dependencies(jobIndex)) {
      if (jobs[d].status != JobStatus.COMPLETED) {
        unmet++;
      }
    }
    return unmet;
  }

  /** Only ever applied to a fresh state (see {@link Phase#applied}). */
  /**
   * The submission, with {@code validated}: the Dag the entity built from this very document object when it
   * validated the submission (null on replay, where the Dag is built from the stored document).
   */
  RunState submitted(Submitted e, Dag validated) {
    if (validated == null || validated.document() != e.document()) {
      return apply(e);
    }
    onSubmitted(e, validated);
    return this;
  }

  private void onSubmitted(Submitted e) {
    onSubmitted(e, Dag.of(e.document()));
  }

  private void onSubmitted(Submitted e, Dag built) {
    if (dag != null) {
      throw new IllegalStateException("execution " + executionId + " is already submitted");
    }
    dag = built;
    createdAt = e.at();
    jobs = new JobRun[dag.size()];
    for (int i = 0; i < jobs.length; i++) {
      jobs[i] = new JobRun();
      jobs[i].unmetDependencies = dag.dependencies(i).length;
    }
    countByStatus[JobStatus.WAITING.ordinal()] = jobs.length;
    unsettled = jobs.length;
  }

  private void move(JobRun j, JobStatus next) {
    if (!j.status.canBecome(next)) {
      throw new IllegalStateException("job cannot go from " + j.status.wireName() + " to " + next.wireName());
    }
    countByStatus[j.status.ordinal()]--;
    countByStatus[next.ordinal()]++;
    if (j.status.settled() && !next.settled()) {
      unsettled++;
    } else if (!j.status.settled() && next.settled()) {
      unsettled--;
    }
    j.status = next;
  }
}
