package io.gantry.http;

import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Query parameters shared by the listings, checked into 400 errors that say what is accepted. */
final class QueryParams {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private QueryParams() {}

  /** {@code limit}: 1..{@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
  static int limit(Optional<String> raw) {
    if (raw.isEmpty() || raw.get().isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(raw.get().trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.of(ErrorCode.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT
        + ", got '" + raw.get() + "'");
  }

  static ExecutionStatus executionStatus(Optional<String> raw) {
    return byWireName(raw, ExecutionStatus.values(), ExecutionStatus::wireName, "status");
  }

  static JobStatus jobStatus(Optional<String> raw) {
    return byWireName(raw, JobStatus.values(), JobStatus::wireName, "job status");
  }

  /** The value whose wire name {@code raw} is, null when absent; else 400 naming {@code what} and the choices. */
  private static <E> E byWireName(Optional<String> raw, E[] values, Function<E, String> wireName, String what) {
    if (raw.isEmpty() || raw.get().isBlank()) {
      return null;
    }
    for (E value : values) {
      if (wireName.apply(value).equals(raw.get().trim())) {
        return value;
      }
    }
    throw ApiException.of(ErrorCode.BAD_REQUEST, "unknown " + what + " '" + raw.get() + "'; expected one of "
        + Arrays.stream(values).map(wireName).collect(Collectors.joining(", ")));
  }

  static String cursor(Optional<String> raw) {
    return raw.filter(s -> !s.isBlank()).orElse(null);
  }
}
