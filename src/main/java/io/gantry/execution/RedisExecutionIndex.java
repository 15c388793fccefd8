package io.gantry.execution;

import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionPage;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.QueueJobPage;
import io.gantry.redis.GantryRedis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution index in Redis. Keys (under the prefix): {@code exec:<id>} a hash summary, {@code execs} all ids by
 * creation time, {@code execs:wf:<workflowId>} the same per workflow, {@code execs:live} unfinished ids, and
 * {@code execs:ended:<status>} finished ids by end time (for cleaning and retention), {@code execs:queue} the ids of
 * executions submitted through the queue API by creation time (their hash names the one job in {@code queueJob},
 * or for a bulk's shared execution counts its jobs in {@code queueJobs}), and {@code jobcounts} the completed,
 * failed and cancelled jobs of every indexed execution (each execution's share kept in its hash, {@code jc.*}).
 */
final class RedisExecutionIndex implements ExecutionIndex, Extension {
  private static final Logger log = LoggerFactory.getLogger(RedisExecutionIndex.class);

  private final SharedRedisConnection<String> redis;
  private final String p;

  /** One index per ActorSystem ({@link ExecutionIndex#of}). */
  static final class Id extends ExtensionId<RedisExecutionIndex> {
    static final Id INSTANCE = new Id();

    @Override
    public RedisExecutionIndex createExtension(ActorSystem<?> system) {
      return new RedisExecutionIndex(GantryRedis.get(system));
    }
  }

  RedisExecutionIndex(GantryRedis redis) {
    this.redis = redis.connection();
    this.p = redis.prefix();
  }

  @Override
  public CompletionStage<Void> recordSubmitted(String executionId, String workflowId, int jobCount, long at) {
    String[] keys = {p + "exec:" + executionId, p + "execs", p + "execs:wf:" + workflowId, p + "execs:live"};
    return redis.<Long>eval(IndexScripts.SUBMIT, ScriptOutputType.INTEGER, keys, Long.toString(at), workflowId,
        Integer.toString(jobCount), executionId).thenApply(r -> null);
  }

  @Override
  public CompletionStage<Void> recordSubmittedAll(List<Submission> submissions, long at) {
    if (submissions.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String[] keys = new String[3 + 2 * submissions.size()];
    String[] args = new String[1 + 4 * submissions.size()];
    keys[0] = p + "execs";
    keys[1] = p + "execs:live";
    keys[2] = p + "execs:queue";
    args[0] = Long.toString(at);
    for (int i = 0; i < submissions.size(); i++) {
      Submission s = submissions.get(i);
      keys[3 + 2 * i] = p + "exec:" + s.executionId();
      keys[4 + 2 * i] = p + "execs:wf:" + s.workflowId();
      args[1 + 4 * i] = s.executionId();
      args[2 + 4 * i] = s.workflowId();
      args[3 + 4 * i] = Integer.toString(s.jobCount());
      args[4 + 4 * i] = s.queueJobId() == null ? "" : s.queueJobId();
    }
    return redis.<Long>eval(IndexScripts.SUBMIT_ALL, ScriptOutputType.INTEGER, keys, args).thenApply(r -> null);
  }

  @Override
  public CompletionStage<Set<String>> indexed(Collection<String> executionIds) {
    if (executionIds.isEmpty()) {
      return CompletableFuture.completedFuture(new HashSet<>());
    }
    List<String> ids = List.copyOf(executionIds);
    String[] keys = ids.stream().map(id -> p + "exec:" + id).toArray(String[]::new);
    return redis.<List<Long>>eval(IndexScripts.EXIST, ScriptOutputType.MULTI, keys).thenApply(found -> {
      Set<String> indexed = new HashSet<>();
      for (int i = 0; i < ids.size(); i++) {
        if (found.get(i) == 1L) {
          indexed.add(ids.get(i));
        }
      }
      return indexed;
    });
  }

  @Override
  public void recordStatus(String executionId, ExecutionStatus status, Long completedAt) {
    String key = p + "exec:" + executionId;
    CompletionStage<?> done;
    if (status.finished() && completedAt != null) {
      // Three commands pipelined on one connection, in this order.
      redis.run("HSET " + key, r -> r.hset(key, Map.of("status", status.wireName(), "completedAt",
          Long.toString(completedAt))));
      redis.run("SREM execs:live", r -> r.srem(p + "execs:live", executionId));
      done = redis.run("ZADD execs:ended", r -> r.zadd(p + "execs:ended:" + status.wireName(), completedAt, executionId));
    } else {
      done = redis.run("HSET " + key, r -> r.hset(key, "status", status.wireName()));
    }
    logFailure(done, executionId, status);
  }

  @Override
  public void recordReopened(String executionId, ExecutionStatus status) {
    String key = p + "exec:" + executionId;
    redis.run("HDEL " + key, r -> r.hdel(key, "completedAt"));
    for (ExecutionStatus s : List.of(ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED)) {
      redis.run("ZREM execs:ended", r -> r.zrem(p + "execs:ended:" + s.wireName(), executionId));
    }
    redis.run("SADD execs:live", r -> r.sadd(p + "execs:live", executionId));
    logFailure(redis.run("HSET " + key, r -> r.hset(key, "status", status.wireName())), executionId, status);
  }

  private static void logFailure(CompletionStage<?> done, String executionId, ExecutionStatus status) {
    done.whenComplete((r, e) -> {
      if (e != null) {
        log.warn("execution index: could not record {} of {}: {}",
            status == null ? "job counts" : "status " + status.wireName(), executionId, e.getMessage());
      }
    });
  }

  @Override
  public CompletionStage<List<String>> liveExecutions() {
    return redis.run("SMEMBERS execs:live", r -> r.smembers(p + "execs:live")).thenApply(List::copyOf);
  }

  @Override
  public CompletionStage<Void> remove(String executionId) {
    String key = p + "exec:" + executionId;
    return redis.run("HGET " + key, r -> r.hget(key, "workflowId")).thenCompose(wf -> {
      List<CompletableFuture<?>> all = new ArrayList<>();
      all.add(redis.<Long>eval(IndexScripts.UNCOUNT_AND_DELETE, ScriptOutputType.INTEGER,
          new String[] {key, p + "jobcounts"}).toCompletableFuture());
      all.add(zrem(p + "execs", executionId));
      if (wf != null) {
        all.add(zrem(p + "execs:wf:" + wf, executionId));
      }
      all.add(redis.run("SREM execs:live", r -> r.srem(p + "execs:live", executionId)).toCompletableFuture());
      all.add(zrem(p + "execs:queue", executionId));
      for (ExecutionStatus s : List.of(ExecutionStatus.COMPLETED, ExecutionStatus.FAILED, ExecutionStatus.CANCELLED)) {
        all.add(zrem(p + "execs:ended:" + s.wireName(), executionId));
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    });
  }

  private CompletableFuture<Long> zrem(String zkey, String member) {
    return redis.run("ZREM " + zkey, r -> r.zrem(zkey, member)).toCompletableFuture();
  }

  @Override
  public CompletionStage<ExecutionPage> list(String workflowId, ExecutionStatus status, int limit, String cursor) {
    String zkey = workflowId == null ? p + "execs" : p + "execs:wf:" + workflowId;
    return page(zkey, h -> status == null || status == statusOf(h), (e, h) -> new ExecutionPage.ExecutionSummary(
        e.getValue(), h.get("workflowId"), statusOf(h), Long.parseLong(h.get("createdAt")), completedAt(h),
        Integer.parseInt(h.getOrDefault("jobs", "0"))), limit, cursor)
        .thenApply(page -> new ExecutionPage(page.items(), page.nextCursor()));
  }

  @Override
  public CompletionStage<QueueJobPage> listQueueJobs(Set<ExecutionStatus> statuses,
      Set<ExecutionStatus> sharedStatuses, int limit, String cursor) {
    return page(p + "execs:queue", h -> {
      Set<ExecutionStatus> wanted = h.containsKey("queueJobs") ? sharedStatuses : statuses;
      return wanted.isEmpty() || wanted.contains(statusOf(h));
    }, (e, h) -> new QueueJobPage.Entry(e.getValue(), h.get("queueJob"), h.containsKey("queueJobs"), statusOf(h),
        Long.parseLong(h.get("createdAt")), completedAt(h),
        new Cursor((long) e.getScore(), e.getValue()).encode()), limit, cursor)
        .thenApply(page -> new QueueJobPage(page.items(), page.nextCursor()));
  }

  private static ExecutionStatus statusOf(Map<String, String> h) {
    return ExecutionStatus.fromWire(h.getOrDefault("status", "pending"));
  }

  private static Long completedAt(Map<String, String> h) {
    return h.containsKey("completedAt") ? Long.parseLong(h.get("completedAt")) : null;
  }

  private record Page<T>(List<T> items, String nextCursor) {}

  private <T> CompletionStage<Page<T>> page(String zkey, Predicate<Map<String, String>> keep,
      BiFunction<ScoredValue<String>, Map<String, String>, T> item, int limit, String cursor) {
    Cursor from = Cursor.parse(cursor);
    CompletableFuture<Page<T>> result = new CompletableFuture<>();
    collect(zkey, keep, item, limit, from, 0, new ArrayList<>(), 0, result);
    return result;
  }

  /**
   * Reads pages of a by-creation zset newest first until {@code limit} entries are kept (or it is exhausted). The
   * zset is read from the cursor's score down; entries of that score at or after the cursor's id were returned
   * already and are skipped, {@code skip} of them at the start of the window being known to be so: a bulk records
   * thousands of executions in one millisecond, more than one window holds.
   */
  private <T> void collect(String zkey, Predicate<Map<String, String>> keep,
      BiFunction<ScoredValue<String>, Map<String, String>, T> item,
      int limit, Cursor from, int skip, List<T> items, int scanned, CompletableFuture<Page<T>> result) {
    int batch = Math.max(limit + 1, 50);
    int window = batch + 64;
    Range<Double> range = from == null ? Range.unbounded()
        : Range.create(Double.NEGATIVE_INFINITY, (double) from.score());
    redis.run("ZREVRANGEBYSCORE " + zkey, r -> r.zrevrangebyscoreWithScores(zkey, range, Limit.create(skip, window)))
        .thenCompose(entries -> {
      List<ScoredValue<String>> page = new ArrayList<>();
      int returnedBefore = 0;
      for (ScoredValue<String> e : entries) {
        if (from != null && (long) e.getScore() == from.score() && e.getValue().compareTo(from.id()) >= 0) {
          returnedBefore++; // already returned on an earlier page
          continue;
        }
        page.add(e);
        if (page.size() == batch) {
          break;
        }
      }
      if (page.isEmpty() && entries.size() == window) {
        // the whole window was returned before: read on past it, the cursor unchanged
        return CompletableFuture.completedFuture(new Object[] {null, false, skip + returnedBefore});
      }
      List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>();
      for (ScoredValue<String> e : page) {
        String key = p + "exec:" + e.getValue();
        reads.add(redis.run("HGETALL " + key, r -> r.hgetall(key)).toCompletableFuture());
      }
      return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
        Cursor last = null;
        for (int i = 0; i < page.size() && items.size() < limit; i++) {
          ScoredValue<String> e = page.get(i);
          last = new Cursor((long) e.getScore(), e.getValue());
          Map<String, String> h = reads.get(i).join();
          // No createdAt: a submission still being recorded, or one that never reached its entity.
          if (h.containsKey("createdAt") && keep.test(h)) {
            items.add(item.apply(e, h));
          }
        }
        boolean exhausted = page.size() < batch && entries.size() < window;
        return new Object[] {last, exhausted, -1};
      });
    }).whenComplete((state, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
        return;
      }
      Cursor last = (Cursor) state[0];
      boolean exhausted = (Boolean) state[1];
      int skipNext = (Integer) state[2];
      if (skipNext >= 0) {
        collect(zkey, keep, item, limit, from, skipNext, items, scanned, result);
      } else if (items.size() >= limit) {
        result.complete(new Page<>(items, last == null ? null : last.encode()));
      } else if (exhausted || last == null || scanned > 20) {
        result.complete(new Page<>(items, exhausted || last == null ? null : last.encode()));
      } else {
        collect(zkey, keep, item, limit, last, 0, items, scanned + 1, result);
      }
    });
  }

  @Override
  public CompletionStage<List<String>> finishedBefore(ExecutionStatus status, long endedBefore, int limit) {
    String zkey = p + "execs:ended:" + status.wireName();
    return redis.run("ZRANGEBYSCORE " + zkey, r -> r.zrangebyscore(zkey,
        Range.create(Double.NEGATIVE_INFINITY, (double) endedBefore), Limit.create(0, limit))).thenApply(List::copyOf);
  }

  @Override
  public CompletionStage<List<Boolean>> recordQueueExecutions(List<QueueExecution> executions, long at) {
    if (executions.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String[] keys = new String[executions.size() + 1];
    String[] args = new String[3 * executions.size() + 1];
    keys[0] = p + "execs:queue";
    args[0] = Long.toString(at);
    for (int i = 0; i < executions.size(); i++) {
      QueueExecution q = executions.get(i);
      keys[i + 1] = p + "exec:" + q.executionId();
      args[3 * i + 1] = q.shared() ? "queueJobs" : "queueJob";
      args[3 * i + 2] = q.shared() ? Integer.toString(q.jobIds().size()) : q.jobIds().get(0);
      args[3 * i + 3] = q.executionId();
    }
    return redis.<List<Long>>eval(IndexScripts.MARK_QUEUE_EXECUTIONS, ScriptOutputType.MULTI, keys, args)
        .thenApply(marked -> marked.stream().map(n -> n == 1L).toList());
  }

  @Override
  public void recordJobCounts(String executionId, int completed, int failed, int cancelled) {
    logFailure(redis.<Long>eval(IndexScripts.RECORD_JOB_COUNTS, ScriptOutputType.INTEGER,
        new String[] {p + "exec:" + executionId, p + "jobcounts"}, Integer.toString(completed),
        Integer.toString(failed), Integer.toString(cancelled)), executionId, null);
  }

  @Override
  public CompletionStage<Map<JobStatus, Long>> jobCounts() {
    return redis.run("HGETALL jobcounts", r -> r.hgetall(p + "jobcounts")).thenApply(h -> Map.of(
        JobStatus.COMPLETED, count(h, "completed"), JobStatus.FAILED, count(h, "failed"),
        JobStatus.CANCELLED, count(h, "cancelled")));
  }

  private static long count(Map<String, String> h, String name) {
    return Math.max(0, Long.parseLong(h.getOrDefault(name, "0")));
  }

  @Override
  public CompletionStage<Long> finishedCount(ExecutionStatus status) {
    String zkey = p + "execs:ended:" + status.wireName();
    return redis.run("ZCARD " + zkey, r -> r.zcard(zkey));
  }

  @Override
  public CompletionStage<Long> liveCount() {
    return redis.run("SCARD execs:live", r -> r.scard(p + "execs:live"));
  }

  @Override
  public CompletionStage<List<String>> sampleLive(int max) {
    return redis.run("SRANDMEMBER execs:live", r -> r.srandmember(p + "execs:live", max)).thenApply(List::copyOf);
  }

  /** A page boundary: the creation time and id of the last item returned. */
  private record Cursor(long score, String id) {
    static Cursor parse(String s) {
      if (s == null || s.isBlank()) {
        return null;
      }
      int sep = s.indexOf('_');
      try {
        return new Cursor(Long.parseLong(s.substring(0, sep)), s.substring(sep + 1));
      } catch (RuntimeException e) {
        throw new GantryException(ErrorCode.BAD_REQUEST, "cursor '" + s + "' is not one this API returned");
      }
    }

    String encode() {
      return score + "_" + id;
    }
  }
}
