package io.gantry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.protocol.PublicEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry events ID}: GET /execute/{id}/events, one line per event until the execution's final event. */
@Command(name = "events", description = {"Print an execution's events, those so far then live ones, one line each "
    + "(time, type, job, detail), until its final event.",
    "With --json each event is one JSON line: {type, sequenceNr, executionId, data}."})
final class EventsCommand extends ApiCommand {
  private static final long WAKE_MS = 1_000;

  @Parameters(paramLabel = "ID", description = "execution id")
  String executionId;

  @Override
  int run(ApiClient client) {
    try (EventStream events = events(client, executionId)) {
      while (!events.ended()) {
        PublicEvent event = events.next(WAKE_MS);
        if (event != null) {
          out().println(json() ? asJson(event) : Terminal.fitStdout(EventLine.render(event)));
          out().flush();
        }
      }
    }
    return 0;
  }

  private static String asJson(PublicEvent event) {
    ObjectNode line = ApiClient.MAPPER.createObjectNode().put("type", event.type())
        .put("sequenceNr", event.sequenceNr()).put("executionId", event.executionId());
    line.set("data", event.data());
    try {
      return ApiClient.MAPPER.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an event as JSON", e);
    }
  }
}
