package io.gantry.persistence.redis.client;

import java.util.List;
import java.util.Optional;

/**
 * What Gantry knows about its Redis. An empty Optional means unknown: managed Redis services often
 * disable CONFIG, which is not an error. {@code warnings} lists every way Redis could lose state.
 */
public record RedisHealth(
    String address,
    boolean reachable,
    Optional<String> maxmemoryPolicy,
    Optional<Boolean> aofEnabled,
    Optional<Boolean> rdbEnabled,
    List<String> warnings) {

  public RedisHealth {
    warnings = List.copyOf(warnings);
  }

  public static RedisHealth unreachable(String address, String reason) {
    return new RedisHealth(
        address, false, Optional.empty(), Optional.empty(), Optional.empty(),
        List.of("Redis at " + address + " is unreachable: " + reason));
  }
}
