package io.gantry.locks;

/**
 * The Lua of each lock operation. KEYS[1] is the lock hash (it expires by PX TTL), KEYS[2] the resource's
 * fencing counter, which is never deleted so tokens keep increasing across grants. Times come from Redis TIME,
 * so every client agrees on them. Results are {status, lockId, owner, acquiredAt, expiresAt, fencingToken}.
 */
final class LockScripts {
  private LockScripts() {}

  private static final String NOW = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """;

  private static final String FIELDS = "'lockId', 'owner', 'acquiredAt', 'expiresAt', 'fencingToken'";

  /** ARGV: lockId, owner, ttlMs. */
  static final String ACQUIRE = NOW + """
      local held = redis.call('HMGET', KEYS[1], %s)
      if held[1] then
        return {'held', held[1], held[2], held[3], held[4], held[5]}
      end
      local ttl = tonumber(ARGV[3])
      local token = redis.call('INCR', KEYS[2])
      local acquired = string.format('%%d', now)
      local expires = string.format('%%d', now + ttl)
      redis.call('HSET', KEYS[1], 'lockId', ARGV[1], 'owner', ARGV[2], 'acquiredAt', acquired,
                 'expiresAt', expires, 'fencingToken', token)
      redis.call('PEXPIRE', KEYS[1], ttl)
      return {'granted', ARGV[1], ARGV[2], acquired, expires, tostring(token)}
      """.formatted(FIELDS);

  /** ARGV: lockId, extensionMs. Empty when the lock is no longer held under that id. */
  static final String EXTEND = NOW + """
      if redis.call('HGET', KEYS[1], 'lockId') ~= ARGV[1] then
        return {}
      end
      local extension = tonumber(ARGV[2])
      redis.call('HSET', KEYS[1], 'expiresAt', string.format('%%d', now + extension))
      redis.call('PEXPIRE', KEYS[1], extension)
      local l = redis.call('HMGET', KEYS[1], %s)
      return {'extended', l[1], l[2], l[3], l[4], l[5]}
      """.formatted(FIELDS);

  /** ARGV: lockId. 1 when released, 0 when that id does not hold the lock. */
  static final String RELEASE = """
      if redis.call('HGET', KEYS[1], 'lockId') == ARGV[1] then
        redis.call('DEL', KEYS[1])
        return 1
      end
      return 0
      """;

  /** No ARGV. Empty when nobody holds the lock. */
  static final String GET = """
      local l = redis.call('HMGET', KEYS[1], %s)
      if not l[1] then
        return {}
      end
      return {'held', l[1], l[2], l[3], l[4], l[5]}
      """.formatted(FIELDS);
}
