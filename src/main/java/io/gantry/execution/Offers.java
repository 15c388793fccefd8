package io.gantry.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.dag.JobDefinition;
import io.gantry.execution.ExecutionEvent.QueuedAttempt;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds what an Execution tells the registries of its pools, from its state: offers and attempt ids. */
final class Offers {
  private Offers() {}

  /** The offers for {@code attempts}, grouped by pool; each carries everything its worker needs. */
  static Map<String, List<JobOffer>> byPool(RunState s, List<QueuedAttempt> attempts) {
    Map<String, List<JobOffer>> byPool = new HashMap<>(2);
    for (QueuedAttempt q : attempts) {
      int i = s.dag.indexOf(q.jobId());
      JobDefinition d = s.dag.job(i);
      JobRun j = s.jobs[i];
      byPool.computeIfAbsent(d.pool(), p -> new ArrayList<>()).add(new JobOffer(q.attemptId(), s.executionId,
          d.id(), d.type(), d.priority(), capabilityNames(d), d.requirements(), d.concurrencyKey(), d.pool(),
          d.timeoutMs(), d.config(), dependencyOutputs(s, i), j.attempts + 1, j.lastCheckpoint,
          j.queuedAt != null ? j.queuedAt : System.currentTimeMillis()));
    }
    return byPool;
  }

  /** The current attempt ids of the jobs in {@code status}, grouped by pool. */
  static Map<String, List<String>> attemptsByPool(RunState s, JobStatus status) {
    Map<String, List<String>> byPool = new HashMap<>();
    for (int i = 0; i < s.jobs.length; i++) {
      if (s.jobs[i].status == status) {
        byPool.computeIfAbsent(s.dag.job(i).pool(), p -> new ArrayList<>()).add(s.jobs[i].currentAttemptId);
      }
    }
    return byPool;
  }

  /** The attempts offered to or run by workers, grouped by pool. */
  static Map<String, List<String>> inFlightByPool(RunState s) {
    Map<String, List<String>> byPool = attemptsByPool(s, JobStatus.QUEUED);
    attemptsByPool(s, JobStatus.RUNNING).forEach((pool, ids) ->
        byPool.computeIfAbsent(pool, p -> new ArrayList<>()).addAll(ids));
    return byPool;
  }

  private static ObjectNode dependencyOutputs(RunState s, int i) {
    ObjectNode outputs = JsonNodeFactory.instance.objectNode();
    for (int d : s.dag.dependencies(i)) {
      JsonNode out = s.jobs[d].output;
      outputs.set(s.dag.job(d).id(), out == null ? JsonNodeFactory.instance.nullNode() : out);
    }
    return outputs;
  }

  private static List<String> capabilityNames(JobDefinition d) {
    List<String> names = new ArrayList<>(d.requiredCapabilities().size());
    d.requiredCapabilities().forEach(c -> names.add(c.wireName()));
    return names;
  }
}
