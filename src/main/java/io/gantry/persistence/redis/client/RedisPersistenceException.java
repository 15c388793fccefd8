package io.gantry.persistence.redis.client;

/** A Redis operation of the plugin failed; the message names the Redis address and the operation. */
public final class RedisPersistenceException extends RuntimeException {

  public RedisPersistenceException(String message, Throwable cause) {
    super(message, cause);
  }

  public RedisPersistenceException(String message) {
    super(message);
  }
}
