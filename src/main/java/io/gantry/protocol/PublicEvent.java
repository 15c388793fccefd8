package io.gantry.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * An execution's event as users see it (the SSE stream of API.md §3 and {@code Gantry.subscribe}): {@code type} is
 * e.g. {@code job-completed}, {@code sequenceNr} the journal position (events of one execution are in this order),
 * {@code data} a JSON object with executionId, jobId, attemptId, time (epoch ms) and the event's own fields.
 */
public record PublicEvent(String type, long sequenceNr, String executionId, JsonNode data) implements CborSerializable {
  private static final Set<String> FINAL = Set.of("execution-completed", "execution-failed", "execution-cancelled");

  /** The execution ended with this event (it may run again only if retried). */
  public boolean isFinal() {
    return FINAL.contains(type);
  }
}
