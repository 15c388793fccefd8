package io.gantry.faults;

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
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads executions' journals straight from Redis (the read journal of our plugin, in a local ActorSystem of the
 * test) and checks what "nothing recorded twice" means there: sequence numbers 1..N without gap or repeat, each
 * job's success recorded once and for an attempt that was queued for that job, one final event per execution.
 */
final class JournalAudit implements AutoCloseable {
  private final ActorSystem system;
  private final RedisReadJournal queries;

  JournalAudit(String redisUrl, String keyPrefix) {
    this.system = ActorSystem.create("audit", RedisTestSupport.config(redisUrl, keyPrefix, ""));
    this.queries = PersistenceQuery.get(system).getReadJournalFor(RedisReadJournal.class, RedisReadJournal.IDENTIFIER);
  }

  List<EventEnvelope> events(String executionId) throws Exception {
    return queries.currentEventsByPersistenceId("Execution|" + executionId, 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Problems found in one execution's journal (empty when sound); {@code jobIds} are the jobs of its DAG. */
  List<String> problems(String executionId, Set<String> jobIds) throws Exception {
    List<String> problems = new ArrayList<>();
    List<EventEnvelope> events = events(executionId);
    Map<String, Set<String>> queued = new HashMap<>();
    Map<String, List<String>> succeeded = new HashMap<>();
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
    if (finished != 1) {
      problems.add(executionId + ": " + finished + " Finished events");
    }
    return problems;
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
