package io.gantry.worker.handlers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The output lines of a running attempt not yet sent with a progress report: at most {@code capacityBytes} of UTF-8
 * (newlines included). When more arrive between two reports, the oldest pending lines are dropped and the next
 * report starts with a line saying how many. Thread-safe: the pipe readers add, the attempt's thread takes.
 */
final class LiveLogs {
  private final int capacityBytes;
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private int pendingBytes;
  private long dropped;

  LiveLogs(int capacityBytes) {
    this.capacityBytes = Math.max(capacityBytes, 2);
  }

  synchronized void add(String line) {
    int bytes = utf8Length(line) + 1;
    if (bytes > capacityBytes) {
      line = line.substring(0, Math.min(line.length(), capacityBytes / 4)) + "...";
      bytes = utf8Length(line) + 1;
    }
    while (!pending.isEmpty() && pendingBytes + bytes > capacityBytes) {
      pendingBytes -= utf8Length(pending.removeFirst()) + 1;
      dropped++;
    }
    pending.addLast(line);
    pendingBytes += bytes;
  }

  /** The pending lines, each ending with a newline, after a marker line when some were dropped; null when none. */
  synchronized String take() {
    if (pending.isEmpty() && dropped == 0) {
      return null;
    }
    StringBuilder text = new StringBuilder(pendingBytes + 64);
    if (dropped > 0) {
      text.append(droppedMarker(dropped)).append('\n');
    }
    pending.forEach(line -> text.append(line).append('\n'));
    pending.clear();
    pendingBytes = 0;
    dropped = 0;
    return text.toString();
  }

  /** The line that stands for lines printed too fast to be sent live (they stay in the final logs tail). */
  static String droppedMarker(long lines) {
    return "[gantry: " + lines + " line" + (lines == 1 ? "" : "s") + " not sent live: more than the live limit]";
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
