package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.internal.LuaScript;

/**
 * The journal's Lua scripts. A script runs atomically, so a batch of events is all visible or not at
 * all. Tag sorted sets are named inside the scripts (prefix + tag), which needs a non-cluster Redis.
 */
final class JournalScripts {
  private JournalScripts() {}

  /**
   * KEYS: events, highest, tag-refs, persistence-ids, tag-ordering. ARGV: persistence id, tag key
   * prefix, then per event: sequence nr, record, tag count, tags. Rewriting a sequence nr replaces it
   * (checked only at or below the highest, so appends pay nothing for it).
   */
  static final LuaScript WRITE =
      LuaScript.of(
          "write-events",
          """
          local highest = redis.call('GET', KEYS[2])
          if not highest then redis.call('SADD', KEYS[4], ARGV[1]) end
          local top, topText = tonumber(highest or '0'), highest
          local i = 3
          while i <= #ARGV do
            local seq, record, tagCount = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
            if tonumber(seq) <= top then redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq) end
            redis.call('ZADD', KEYS[1], seq, record)
            for t = i + 3, i + 2 + tagCount do
              local ordering = redis.call('INCR', KEYS[5])
              redis.call('ZADD', ARGV[2] .. ARGV[t], ordering, seq .. ':' .. ARGV[1])
              redis.call('ZADD', KEYS[3], seq, seq .. ':' .. ARGV[t])
            end
            if tonumber(seq) > top then top, topText = tonumber(seq), seq end
            i = i + 3 + tagCount
          end
          if topText ~= highest then redis.call('SET', KEYS[2], topText) end
          return 1
          """);

  private static final String REMOVE_TAG_ENTRIES_UP_TO_ARGV1 =
      """
      local refs = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
      for _, ref in ipairs(refs) do
        local seq, tag = string.match(ref, '^(%d+):(.*)$')
        redis.call('ZREM', ARGV[3] .. tag, seq .. ':' .. ARGV[2])
      end
      """;

  /** KEYS: events, tag-refs. ARGV: to sequence nr, persistence id, tag key prefix. Keeps "highest". */
  static final LuaScript DELETE_TO =
      LuaScript.of(
          "delete-events-to",
          REMOVE_TAG_ENTRIES_UP_TO_ARGV1
              + """
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
              redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
              return 1
              """);

  /**
   * KEYS: events, tag-refs, highest, persistence-ids. ARGV: '+inf', persistence id, tag key prefix.
   * Removes every trace of the persistence id from the journal.
   */
  static final LuaScript DELETE_ALL =
      LuaScript.of(
          "delete-persistence-id",
          REMOVE_TAG_ENTRIES_UP_TO_ARGV1
              + """
              redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
              redis.call('SREM', KEYS[4], ARGV[2])
              return 1
              """);
}
