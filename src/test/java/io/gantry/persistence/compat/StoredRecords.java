package io.gantry.persistence.compat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.execution.ExecutionEvent;
import io.gantry.persistence.redis.internal.BinaryFormat;
import io.gantry.persistence.redis.internal.SerializedPayload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The events and snapshots stored in a {@link RedisDump}, decoded down to their serializer id and manifest. */
record StoredRecords(List<Stored> events, List<Stored> snapshots) {

  /** One stored event or snapshot of a persistence id; {@code payload} is what Pekko serialization wrote. */
  record Stored(String persistenceId, long sequenceNr, SerializedPayload payload) {}

  /** The journal's and snapshot store's keys ({@code j:{pid}:events}, {@code s:{pid}:data}; see RedisKeys). */
  static StoredRecords of(JsonNode keys) {
    List<Stored> events = new ArrayList<>();
    List<Stored> snapshots = new ArrayList<>();
    for (Iterator<String> it = keys.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.startsWith("j:{") && key.endsWith("}:events")) {
        String pid = key.substring(3, key.length() - "}:events".length());
        for (byte[] v : RedisDump.values(keys.get(key))) {
          var r = BinaryFormat.decodeEvent(v);
          events.add(new Stored(pid, r.sequenceNr(), r.payload()));
        }
      } else if (key.startsWith("s:{") && key.endsWith("}:data")) {
        String pid = key.substring(3, key.length() - "}:data".length());
        for (byte[] v : RedisDump.values(keys.get(key))) {
          var r = BinaryFormat.decodeSnapshot(v);
          snapshots.add(new Stored(pid, r.sequenceNr(), r.snapshot()));
        }
      }
    }
    return new StoredRecords(events, snapshots);
  }

  List<Stored> eventsOf(String persistenceId) {
    return events.stream().filter(s -> s.persistenceId().equals(persistenceId))
        .sorted(java.util.Comparator.comparingLong(Stored::sequenceNr)).toList();
  }

  /** The journal name ({@code @JsonSubTypes} name, e.g. "job-cancelled") of each ExecutionEvent class. */
  static Map<String, String> eventNamesByClassName() {
    return Arrays.stream(ExecutionEvent.class.getAnnotation(JsonSubTypes.class).value())
        .collect(Collectors.toMap(t -> t.value().getName(), JsonSubTypes.Type::name));
  }

  /** The event name of a stored manifest, if it names an ExecutionEvent class known to this code. */
  static Optional<String> eventName(String manifest) {
    return Optional.ofNullable(eventNamesByClassName().get(manifest));
  }

  static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.groupingBy(key, java.util.TreeMap::new, Collectors.counting()));
  }
}
