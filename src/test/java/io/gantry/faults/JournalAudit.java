package io.gantry.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.execution.ExecutionEvent;
import io.gantry.persistence.redis.RedisTestSupport;
import io.gantry.persistence.redis.query.RedisReadJournal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads executions' journals straight from Redis (the read journal of our plugin, in a local ActorSystem of the
 * test) and checks what "nothing recorded twice" means there: sequence numbers 1..N without gap or repeat, each
 * job's success recorded once and for an attempt that was queued for that job, one final event per execution.
 */
final class JournalAudit implements AutoCloseable {
  private final ActorTestKit testKit;
  private final ActorSystem system;
  private final RedisReadJournal queries;

  JournalAudit(String redisUrl, String keyPrefix) {
    this.testKit = ActorTestKit.create("audit", RedisTestSupport.config(redisUrl, keyPrefix, ""));
    this.system = Adapter.toClassic(testKit.system());
    this.queries = PersistenceQuery.get(system).getReadJournalFor(RedisReadJournal.class, RedisReadJournal.IDENTIFIER);
  }

  List<EventEnvelope> events(String executionId) throws Exception {
    return queries.currentEventsByPersistenceId("Execution|" + executionId, 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Problems found in one execution's journal (empty when sound); {@code jobIds} are the jobs of its DAG. */
  List<String> problems(String executionId, Set<String> jobIds) throws Exception {
    return problems(executionId, jobIds, null);
  }

  /**
   * As {@link #problems(String, Set)}, and against the execution's final {@code state} (GET .../status): each job's
   * {@code attempts} is the number of attempts the journal saw start, and its success and result belong to the
   * last of them (a stale attempt's result must never be taken).
   */
  List<String> problems(String executionId, Set<String> jobIds, JsonNode state) throws Exception {
    List<String> problems = new ArrayList<>();
    List<EventEnvelope> events = events(executionId);
    Map<String, Set<String>> queued = new HashMap<>();
    Map<String, List<String>> succeeded = new HashMap<>();
    Map<String, List<ExecutionEvent.JobStarted>> started = new HashMap<>();
    int finished = 0;
    long expectedSeq = 1;
    for (EventEnvelope envelope : events) {
      if (envelope.sequenceNr() != expectedSeq) {
        problems.add(executionId + ": sequence number " + envelope.sequenceNr() + " where " + expectedSeq
            + " was expected");
      }
      expectedSeq = envelope.sequenceNr() + 1;
      Object event = envelope.event();
      if (event instanceof ExecutionEvent.JobsQueued q) {
        q.attempts().forEach(a -> queued.computeIfAbsent(a.jobId(), j -> new HashSet<>()).add(a.attemptId()));
      } else if (event instanceof ExecutionEvent.JobStarted st) {
        started.computeIfAbsent(st.jobId(), j -> new ArrayList<>()).add(st);
      } else if (event instanceof ExecutionEvent.JobSucceeded s) {
        succeeded.computeIfAbsent(s.jobId(), j -> new ArrayList<>()).add(s.attemptId());
        if (!queued.getOrDefault(s.jobId(), Set.of()).contains(s.attemptId())) {
          problems.add(executionId + "/" + s.jobId() + ": success of attempt " + s.attemptId() + " never queued");
        }
      } else if (event instanceof ExecutionEvent.Finished) {
        finished++;
      }
    }
    for (String job : jobIds) {
      int n = succeeded.getOrDefault(job, List.of()).size();
      if (n != 1) {
        problems.add(executionId + "/" + job + ": " + n + " successes recorded " + succeeded.get(job));
      }
    }
    if (state != null) {
      for (String job : jobIds) {
        List<ExecutionEvent.JobStarted> starts = started.getOrDefault(job, List.of());
        JsonNode view = state.path("jobs").path(job);
        if (view.path("attempts").asInt() != starts.size()) {
          problems.add(executionId + "/" + job + ": state says " + view.path("attempts").asInt() + " attempts, the "
              + "journal saw " + starts.size() + " start");
        }
        List<String> successes = succeeded.getOrDefault(job, List.of());
        if (!starts.isEmpty() && successes.size() == 1) {
          ExecutionEvent.JobStarted last = starts.get(starts.size() - 1);
          if (!last.attemptId().equals(successes.get(0))) {
            problems.add(executionId + "/" + job + ": success of attempt " + successes.get(0) + " while the last "
                + "attempt started was " + last.attemptId());
          }
          String resultWorker = state.path("jobResults").path(job).path("workerId").asText();
          if (!resultWorker.equals(last.workerId())) {
            problems.add(executionId + "/" + job + ": result names worker " + resultWorker + ", the attempt ran on "
                + last.workerId());
          }
        }
      }
    }
    if (finished != 1) {
      problems.add(executionId + ": " + finished + " Finished events");
    }
    return problems;
  }

  /** When each attempt of the execution that ran on {@code workerId} started (epoch ms). */
  List<Long> startsOn(String executionId, String workerId) throws Exception {
    List<Long> at = new ArrayList<>();
    for (EventEnvelope envelope : events(executionId)) {
      if (envelope.event() instanceof ExecutionEvent.JobStarted st && workerId.equals(st.workerId())) {
        at.add(st.at());
      }
    }
    return at;
  }

  @Override
  public void close() throws Exception {
    testKit.shutdownTestKit();
  }
}
