package io.gantry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.PublicEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An execution's events from {@code GET /execute/{id}/events} (Server-Sent Events), read on a thread of its own so
 * that the caller can wake up between events. Each event is delivered once, in journal order, up to the execution's
 * final event. A stream that breaks (node restarted, connection dropped, or silent for longer than three of the
 * server's 15 s heartbeats) is opened again; the server replays from the start and the events seen already are
 * skipped by their position (sequence number, and rank among the events of one journal entry).
 */
final class EventStream implements AutoCloseable {
  private static final long SILENCE_MS = 45_000;
  private static final long RECONNECT_FOR_MS = 60_000;
  private static final long RECONNECT_PAUSE_MS = 1_000;

  /** What the reader hands over: an event, or the failure that ends the stream. */
  private record Item(PublicEvent event, CliFailure failure) {}

  private final ApiClient client;
  private final String executionId;
  private final Consumer<String> notice;
  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean closed;
  private volatile InputStream current;
  private volatile long lastActivity = System.currentTimeMillis();
  private boolean ended;
  // Position of the last event delivered: its sequence number and how many events of that number came so far.
  private long lastSeq = -1;
  private int seenAtLastSeq;

  /** {@code notice}: told (from the reader's thread) when the stream broke and is opened again. */
  EventStream(ApiClient client, String executionId, Consumer<String> notice) {
    this.client = client;
    this.executionId = executionId;
    this.notice = notice;
    this.reader = new Thread(this::readAll, "gantry-events-" + executionId);
    reader.setDaemon(true);
  }

  /** Opens the stream; an unknown execution or a refused request fails here, on the caller's thread. */
  EventStream open() {
    current = client.stream(path(), ApiCommand.executionNotFound(executionId));
    reader.start();
    return this;
  }

  /**
   * The next event, or null when none came within {@code timeoutMs} (or the final event was delivered already).
   * Throws the {@link CliFailure} that ended the stream.
   */
  PublicEvent next(long timeoutMs) {
    if (ended) {
      return null;
    }
    Item item;
    try {
      item = items.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.failed("interrupted");
    }
    if (item == null) {
      closeIfSilent();
      return null;
    }
    if (item.failure() != null) {
      ended = true;
      throw item.failure();
    }
    ended = item.event().isFinal();
    return item.event();
  }

  /** True once the execution's final event has been delivered. */
  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    closed = true;
    closeCurrent();
    reader.interrupt();
  }

  private String path() {
    return "execute/" + ApiClient.segment(executionId) + "/events";
  }

  private void readAll() {
    long brokenSince = 0;
    String lastProblem = null;
    while (!closed) {
      InputStream in = current;
      if (in == null) {
        try {
          in = client.stream(path(), ApiCommand.executionNotFound(executionId));
          current = in;
        } catch (CliFailure f) {
          if (!f.isTransient() || closed) {
            fail(f);
            return;
          }
          lastProblem = f.getMessage();
        }
      }
      if (in != null) {
        lastActivity = System.currentTimeMillis();
        try {
          if (readEvents(in)) {
            return; // the final event: the server ends the stream too
          }
          lastProblem = "the stream ended before the execution's final event";
        } catch (IOException e) {
          lastProblem = e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (CliFailure f) {
          fail(f);
          return;
        } finally {
          closeCurrent();
        }
        brokenSince = 0; // it worked for a while: a new window of attempts
        if (!closed) {
          notice.accept("the event stream of execution " + executionId + " broke (" + lastProblem
              + "); opening it again");
        }
      }
      long now = System.currentTimeMillis();
      brokenSince = brokenSince == 0 ? now : brokenSince;
      if (now - brokenSince > RECONNECT_FOR_MS) {
        fail(CliFailure.failed("lost the event stream of execution " + executionId + ": " + lastProblem));
        return;
      }
      try {
        Thread.sleep(RECONNECT_PAUSE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads one connection's events; true once the final event was handed over. */
  private boolean readEvents(InputStream in) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String type = null;
    String id = null;
    StringBuilder data = null;
    long seqOfConnection = -1;
    int rankInSeq = 0;
    for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
      lastActivity = System.currentTimeMillis();
      if (!line.isEmpty()) {
        if (line.startsWith(":")) {
          continue; // a heartbeat
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
          case "event" -> type = value;
          case "id" -> id = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { } // retry and unknown fields
        }
        continue;
      }
      if (data == null || type == null) {
        type = null;
        id = null;
        data = null;
        continue;
      }
      PublicEvent event = event(type, id, data.toString());
      type = null;
      id = null;
      data = null;
      rankInSeq = event.sequenceNr() == seqOfConnection ? rankInSeq + 1 : 0;
      seqOfConnection = event.sequenceNr();
      if (seen(event.sequenceNr(), rankInSeq)) {
        continue;
      }
      lastSeq = event.sequenceNr();
      seenAtLastSeq = rankInSeq + 1;
      items.add(new Item(event, null));
      if (event.isFinal()) {
        return true;
      }
    }
    return false;
  }

  private boolean seen(long seq, int rank) {
    return seq < lastSeq || (seq == lastSeq && rank < seenAtLastSeq);
  }

  private PublicEvent event(String type, String id, String data) {
    JsonNode json;
    try {
      json = ApiClient.MAPPER.readTree(data);
    } catch (JsonProcessingException e) {
      throw CliFailure.failed("an event of execution " + executionId + " is not JSON: " + e.getOriginalMessage());
    }
    long seq;
    try {
      seq = id == null ? -1 : Long.parseLong(id.strip());
    } catch (NumberFormatException e) {
      seq = -1;
    }
    return new PublicEvent(type, seq, executionId, json == null ? ApiClient.MAPPER.nullNode() : json);
  }

  private void fail(CliFailure f) {
    items.add(new Item(null, f));
  }

  /** The server's heartbeats stopped: the connection is dead without knowing it, so break it to open a new one. */
  private void closeIfSilent() {
    if (System.currentTimeMillis() - lastActivity > SILENCE_MS) {
      lastActivity = System.currentTimeMillis();
      closeCurrent();
    }
  }

  private void closeCurrent() {
    InputStream in = current;
    current = null;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing a broken stream
      }
    }
  }
}
