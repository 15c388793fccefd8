package io.gantry.persistence.redis.snapshot;

import io.gantry.persistence.redis.client.LuaScript;

/**
 * The snapshot store's Lua scripts. KEYS are always: index, data. The index holds "seqNr:timestamp"
 * members scored by sequence nr, so selection by criteria reads no snapshot it does not return.
 */
final class SnapshotScripts {
  private SnapshotScripts() {}

  /** ARGV: sequence nr, timestamp, record. Replaces a snapshot with the same sequence nr. */
  static final LuaScript SAVE =
      LuaScript.of(
          "save-snapshot",
          """
          redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1] .. ':' .. ARGV[2])
          redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
          return 1
          """);

  private static final String MATCHES =
      """
      local function matches(member, minTs, maxTs)
        local seq, ts = string.match(member, '^(%d+):(%-?%d+)$')
        local t = tonumber(ts)
        return t >= minTs and t <= maxTs, seq
      end
      """;

  /** ARGV: max sequence nr, min sequence nr, max timestamp, min timestamp. Returns the newest match or nil. */
  static final LuaScript LOAD =
      LuaScript.of(
          "load-snapshot",
          MATCHES
              + """
              local members = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2])
              for _, member in ipairs(members) do
                local ok, seq = matches(member, tonumber(ARGV[4]), tonumber(ARGV[3]))
                if ok then return redis.call('HGET', KEYS[2], seq) end
              end
              return false
              """);

  /** ARGV: max sequence nr, min sequence nr, max timestamp, min timestamp. Deletes every match. */
  static final LuaScript DELETE_MATCHING =
      LuaScript.of(
          "delete-snapshots",
          MATCHES
              + """
              local members = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[1])
              local deleted = 0
              for _, member in ipairs(members) do
                local ok, seq = matches(member, tonumber(ARGV[4]), tonumber(ARGV[3]))
                if ok then
                  redis.call('ZREM', KEYS[1], member)
                  redis.call('HDEL', KEYS[2], seq)
                  deleted = deleted + 1
                end
              end
              return deleted
              """);
}
