package io.gantry.decision;

import io.gantry.dag.Dag;
import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.Arrays;

/**
 * A run written down by a test: a DAG and the status of each job. What the Execution keeps as counters (unmet
 * dependencies, unsettled jobs, jobs by status) is derived from the statuses, so a test states only what matters.
 * Attempt ids are {@code run:<job>:<n>}; a job put in flight holds attempt {@code serial}.
 */
final class TestRun implements RunView {
  private final Dag dag;
  private ExecutionStatus status = ExecutionStatus.RUNNING;
  private final JobStatus[] statuses;
  private final int[] failures;
  private final int[] serials;
  private final Long[] nextAttemptAt;
  private final String[] currentAttempt;

  private TestRun(Dag dag) {
    this.dag = dag;
    int n = dag.size();
    statuses = new JobStatus[n];
    Arrays.fill(statuses, JobStatus.WAITING);
    failures = new int[n];
    serials = new int[n];
    nextAttemptAt = new Long[n];
    currentAttempt = new String[n];
  }

  /** A run of these jobs (see {@link #job}), all waiting. */
  static TestRun of(String... jobs) {
    String json = "{'workflowId':'w','jobs':[" + String.join(",", jobs) + "]}";
    return new TestRun(Dag.of(DagParser.parse(json.replace('\'', '"'))));
  }

  /** A job of type noop with these dependencies. */
  static String job(String id, String... dependsOn) {
    return jobWith(id, "", dependsOn);
  }

  /** A job with extra fields, e.g. {@code "'maxRetries':2"}. */
  static String jobWith(String id, String fields, String... dependsOn) {
    String deps = dependsOn.length == 0 ? "" : ",'dependsOn':['" + String.join("','", dependsOn) + "']";
    return "{'id':'" + id + "','type':'noop'" + deps + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  TestRun paused() {
    status = ExecutionStatus.PAUSED;
    return this;
  }

  /** Jobs settled or waiting, holding no attempt. */
  TestRun set(JobStatus st, String... jobIds) {
    for (String id : jobIds) {
      int i = index(id);
      statuses[i] = st;
      currentAttempt[i] = null;
    }
    return this;
  }

  /** A job queued or running as attempt {@code serial}. */
  TestRun inFlight(String jobId, JobStatus st, int serial) {
    int i = index(jobId);
    statuses[i] = st;
    serials[i] = serial;
    currentAttempt[i] = attemptId(jobId, serial);
    return this;
  }

  /** A job that failed {@code failures} times, its attempt {@code serial} the last, due again at {@code at}. */
  TestRun retrying(String jobId, int serial, int failures, Long at) {
    int i = index(jobId);
    statuses[i] = JobStatus.RETRYING;
    serials[i] = serial;
    this.failures[i] = failures;
    nextAttemptAt[i] = at;
    currentAttempt[i] = null;
    return this;
  }

  /** The job has had {@code serial} attempts created (e.g. before the execution was retried). */
  TestRun serial(String jobId, int serial) {
    serials[index(jobId)] = serial;
    return this;
  }

  TestRun failures(String jobId, int count) {
    failures[index(jobId)] = count;
    return this;
  }

  int index(String jobId) {
    int i = dag.indexOf(jobId);
    if (i < 0) {
      throw new IllegalArgumentException("no job " + jobId);
    }
    return i;
  }

  static String attemptId(String jobId, int serial) {
    return "run:" + jobId + ":" + serial;
  }

  @Override
  public Dag dag() {
    return dag;
  }

  @Override
  public ExecutionStatus status() {
    return status;
  }

  @Override
  public JobStatus jobStatus(int job) {
    return statuses[job];
  }

  @Override
  public int unmetDependencies(int job) {
    int unmet = 0;
    for (int d : dag.dependencies(job)) {
      if (statuses[d] != JobStatus.COMPLETED) {
        unmet++;
      }
    }
    return unmet;
  }

  @Override
  public int failures(int job) {
    return failures[job];
  }

  @Override
  public Long nextAttemptAt(int job) {
    return nextAttemptAt[job];
  }

  @Override
  public String currentAttemptId(int job) {
    return currentAttempt[job];
  }

  @Override
  public String nextAttemptId(int job) {
    return attemptId(dag.job(job).id(), serials[job] + 1);
  }

  @Override
  public int unsettled() {
    int n = 0;
    for (JobStatus st : statuses) {
      if (!st.settled()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public int count(JobStatus st) {
    int n = 0;
    for (JobStatus s : statuses) {
      if (s == st) {
        n++;
      }
    }
    return n;
  }
}
