package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.client.LuaScript;

/**
 * The journal's Lua scripts. A script runs atomically, so a batch of events is all visible or not at
 * all. Tag sorted sets are named inside the scripts (prefix + tag), which needs a non-cluster Redis.
 */
final class JournalScripts {
  private JournalScripts() {}

  /**
   * Writes a batch of groups, each the events of one persistence id from one journal call, so one
   * script call carries the writes of many persistent actors (group commit, see {@link WriteBatcher}).
   *
   * <p>KEYS: persistence-ids, tag-ordering. ARGV: tag key prefix, journal key start, the suffixes of
   * the events, highest and tag-refs keys (see {@code RedisKeys}), then per group: persistence id,
   * number of ARGV entries of its events, then per event: sequence nr, record, tag count, tags. The
   * keys of each persistence id are built here rather than passed, which saves three arguments per
   * write; like the tag keys, that needs a non-cluster Redis.
   *
   * <p>Returns one entry per group: 1 when stored, else why not (a refusal or a Redis error). Each
   * group runs in its own pcall, so a group that fails (say, a foreign value of the wrong type under
   * its events key) fails alone and the others of the batch are still stored. Lua cannot undo commands, so a
   * group's commands are ordered to fail before anything of it is written in that case: events
   * first, the persistence id and the highest sequence nr last (only a foreign value under a tag key
   * would leave the group's events written). The script as a whole is atomic: a reader sees all of
   * a batch or none of it.
   *
   * <p>One writer per persistence id: a group whose first sequence nr is at or below the stored
   * highest one is refused whole, before anything of it is written ("sequence number N of P already
   * stored: another writer?"), so a second incarnation of an entity can never replace events of the
   * first. The highest sequence nr outlives deleted events, so deleted numbers are refused too.
   * Keys of several persistence ids in one script: standalone Redis (or Sentinel) only, like the
   * tag index.
   */
  static final LuaScript WRITE_BATCH =
      LuaScript.of(
          "write-events",
          """
          local tagPrefix, keyStart, eventsSuffix, highestSuffix, tagRefsSuffix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
          local function writeGroup(events, highestKey, tagRefs, pid, first, last)
            local highest = redis.call('GET', highestKey)
            local top, topText = tonumber(highest or '0'), highest
            if tonumber(ARGV[first]) <= top then
              return 'sequence number ' .. ARGV[first] .. ' of ' .. pid .. ' already stored: another writer?'
            end
            local i = first
            while i <= last do
              local seq, record, tagCount = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
              local n = tonumber(seq)
              redis.call('ZADD', events, seq, record)
              for t = i + 3, i + 2 + tagCount do
                local ordering = redis.call('INCR', KEYS[2])
                redis.call('ZADD', tagPrefix .. ARGV[t], ordering, seq .. ':' .. pid)
                redis.call('ZADD', tagRefs, seq, seq .. ':' .. ARGV[t])
              end
              if n > top then top, topText = n, seq end
              i = i + 3 + tagCount
            end
            -- Last, so that a write whose events cannot be stored leaves no trace here.
            if not highest then redis.call('SADD', KEYS[1], pid) end
            if topText ~= highest then redis.call('SET', highestKey, topText) end
            return nil
          end
          local results, a = {}, 6
          while a <= #ARGV do
            local pid, length = ARGV[a], tonumber(ARGV[a + 1])
            local start = keyStart .. pid
            local ok, err = pcall(writeGroup, start .. eventsSuffix, start .. highestSuffix, start .. tagRefsSuffix,
              pid, a + 2, a + 1 + length)
            if ok then
              results[#results + 1] = err or 1
            else
              results[#results + 1] = type(err) == 'table' and (err.err or 'error') or tostring(err)
            end
            a = a + 2 + length
          end
          return results
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
