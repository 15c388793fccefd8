package io.gantry.dag;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A worker capability a job may require; written in JSON by its wire name. */
public enum Capability {
  CPU("cpu"),
  GPU("gpu"),
  HIGH_MEMORY("high-memory"),
  SSD("ssd"),
  NETWORK("network");

  /** The wire names, comma-separated, for error messages. */
  static final String WIRE_NAMES =
      Arrays.stream(values()).map(Capability::wireName).collect(Collectors.joining(", "));

  private final String wireName;

  Capability(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<Capability> fromWire(String name) {
    for (Capability capability : values()) {
      if (capability.wireName.equals(name)) {
        return Optional.of(capability);
      }
    }
    return Optional.empty();
  }

  @JsonCreator
  static Capability ofWire(String name) {
    return fromWire(name)
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown capability \"" + name + "\" (known: " + WIRE_NAMES + ")"));
  }
}
