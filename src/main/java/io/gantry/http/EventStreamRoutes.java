package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gantry.Gantry;
import io.gantry.execution.ExecutionEvents;
import io.gantry.protocol.AuditEntry;
import io.gantry.protocol.PublicEvent;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /execute/{id}/audit: who submitted, paused, resumed, cancelled or retried it, from its journal. GET
 * /execute/{id}/events: the execution's events as Server-Sent Events (API.md §3). The execution is looked up
 * first, so an unknown id is a JSON 404; then the headers go out at once, the stored events are replayed, live ones
 * follow, and the stream ends after the final event. {@code id} is the journal sequence number; a heartbeat comment
 * every {@link #KEEP_ALIVE} keeps proxies from closing a quiet stream.
 */
final class EventStreamRoutes implements RouteProvider {
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Gantry gantry;
  private final ExecutionEvents events;
  private final JsonSupport json;

  EventStreamRoutes(Gantry gantry, ExecutionEvents events, JsonSupport json) {
    this.gantry = gantry;
    this.events = events;
    this.json = json;
  }

  /** Body of GET /execute/{id}/audit. */
  record Audit(String executionId, List<AuditEntry> items) {
  }

  @Override
  public Route route() {
    return concat(
        path(segment("execute").slash(segment()).slash("events"), id -> get(() ->
            onSuccess(gantry.status(id), state -> completeOK(
                events.journalSource(id)
                    .map(this::toSse)
                    .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat),
                EventStreamMarshalling.toEventStream())))),
        path(segment("execute").slash(segment()).slash("audit"), id -> get(() ->
            json.answer(() -> gantry.audit(id).thenApply(items -> new Audit(id, items))))));
  }

  private ServerSentEvent toSse(PublicEvent e) {
    try {
      return ServerSentEvent.create(json.mapper().writeValueAsString(e.data()), e.type(),
          Long.toString(e.sequenceNr()));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write event data as JSON", ex);
    }
  }
}
