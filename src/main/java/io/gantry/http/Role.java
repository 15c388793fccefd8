package io.gantry.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token may do (API.md "Tokens and roles"); {@link EndpointAccess} says which endpoints each may call. */
enum Role {
  /** Everything. */
  ADMIN,
  /** Submit, control and read executions and queue jobs; pause, resume and drain the queue; hold locks. */
  SUBMIT,
  /** GET only: executions, queue, workers, locks, health, metrics (dashboards). */
  READ,
  /** The HTTP worker protocol (register, heartbeat, poll, progress, complete, deregister) and locks. */
  WORKER;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Role> fromWire(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
