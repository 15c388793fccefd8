package io.gantry.locks;

/** A granted lock. Times are epoch milliseconds of the Redis server's clock. */
public record LockInfo(String lockId, String owner, long acquiredAt, long expiresAt, String resource,
    long fencingToken) {
}
