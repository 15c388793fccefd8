package io.gantry.execution;

import io.gantry.persistence.redis.client.LuaScript;

/**
 * The execution index's Lua scripts ({@link RedisExecutionIndex}): each write that must be atomic over several of
 * its keys (an execution's hash, the listings' sorted sets, the live set, the job-count totals) is one script.
 */
final class IndexScripts {
  private IndexScripts() {}

  /**
   * A bulk's executions marked at once: KEYS[1] the queue zset, then one hash per execution; ARGV[1] the time, then
   * per execution its field, the field's value ({@code queueJob} and the job, or {@code queueJobs} and the count)
   * and its id.
   */
  static final LuaScript MARK_QUEUE_EXECUTIONS = LuaScript.of("index-mark-queue-executions", String.join("\n",
      "local marked = {}",
      "for i = 2, #KEYS do",
      "  local a = 3 * (i - 2) + 1",
      "  if redis.call('exists', KEYS[i]) == 1 then marked[i - 1] = 0 else",
      "    redis.call('hset', KEYS[i], ARGV[a + 1], ARGV[a + 2])",
      "    redis.call('zadd', KEYS[1], ARGV[1], ARGV[a + 3])",
      "    marked[i - 1] = 1",
      "  end",
      "end",
      "return marked"));

  /**
   * Sets an execution's job counts (ARGV: completed, failed, cancelled) and adds the difference from its previous
   * ones to the totals (KEYS[2]); nothing for an execution not indexed (KEYS[1] without createdAt).
   */
  static final LuaScript RECORD_JOB_COUNTS = LuaScript.of("index-job-counts", String.join("\n",
      "if redis.call('hexists', KEYS[1], 'createdAt') == 0 then return 0 end",
      "local names = {'completed', 'failed', 'cancelled'}",
      "for i = 1, 3 do",
      "  local field = 'jc.' .. names[i]",
      "  local delta = tonumber(ARGV[i]) - tonumber(redis.call('hget', KEYS[1], field) or '0')",
      "  if delta ~= 0 then redis.call('hincrby', KEYS[2], names[i], delta) end",
      "  redis.call('hset', KEYS[1], field, ARGV[i])",
      "end",
      "return 1"));

  /**
   * An execution leaves the index: its hash goes and its job counts leave the totals (KEYS as above), at once, so
   * that a count written meanwhile (its entity recovering) cannot stay behind.
   */
  static final LuaScript UNCOUNT_AND_DELETE = LuaScript.of("index-uncount-delete", String.join("\n",
      "for _, name in ipairs({'completed', 'failed', 'cancelled'}) do",
      "  local n = tonumber(redis.call('hget', KEYS[1], 'jc.' .. name) or '0')",
      "  if n ~= 0 then redis.call('hincrby', KEYS[2], name, -n) end",
      "end",
      "return redis.call('del', KEYS[1])"));

  /**
   * One round trip: only the first submit of an id creates its entry (an idempotent re-submit changes nothing).
   * The status is "running" at once: a submitted execution queues its roots in the same write that stores it.
   */
  static final String SUBMIT_SCRIPT = String.join("\n",
      "if redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[1]) == 0 then return 0 end",
      "redis.call('HSET', KEYS[1], 'workflowId', ARGV[2], 'status', 'running', 'jobs', ARGV[3])",
      "redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])",
      "redis.call('ZADD', KEYS[3], ARGV[1], ARGV[4])",
      "redis.call('SADD', KEYS[4], ARGV[4])",
      "return 1");

  static final LuaScript SUBMIT = LuaScript.of("index-submit", SUBMIT_SCRIPT);

  /**
   * Many entries in one call, each as {@link #SUBMIT_SCRIPT}, and a new one with a queue job also marked as
   * {@link #MARK_QUEUE_EXECUTIONS} marks a bulk's. KEYS: execs, execs:live, execs:queue, then per execution its hash
   * and its workflow's zset; ARGV: the time, then per execution its id, workflow, job count and queue job ('' for
   * none).
   */
  static final String SUBMIT_ALL_SCRIPT = String.join("\n",
      "local at = ARGV[1]",
      "for i = 0, (#KEYS - 3) / 2 - 1 do",
      "  local key, a = KEYS[4 + 2 * i], 2 + 4 * i",
      "  local id = ARGV[a]",
      "  if ARGV[a + 3] ~= '' and redis.call('EXISTS', key) == 0 then",
      "    redis.call('HSET', key, 'queueJob', ARGV[a + 3])",
      "    redis.call('ZADD', KEYS[3], at, id)",
      "  end",
      "  if redis.call('HSETNX', key, 'createdAt', at) == 1 then",
      "    redis.call('HSET', key, 'workflowId', ARGV[a + 1], 'status', 'running', 'jobs', ARGV[a + 2])",
      "    redis.call('ZADD', KEYS[1], at, id)",
      "    redis.call('ZADD', KEYS[5 + 2 * i], at, id)",
      "    redis.call('SADD', KEYS[2], id)",
      "  end",
      "end",
      "return 1");

  static final LuaScript SUBMIT_ALL = LuaScript.of("index-submit-all", SUBMIT_ALL_SCRIPT);

  /** Which of KEYS exist: one 0/1 per key. */
  static final LuaScript EXIST = LuaScript.of("index-exist", String.join("\n",
      "local found = {}",
      "for i = 1, #KEYS do found[i] = redis.call('EXISTS', KEYS[i]) end",
      "return found"));
}
