package io.gantry.worker.handlers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/** The last lines of a process's output, at most {@code capacityBytes} of UTF-8 (newlines included). Thread-safe. */
final class LogTail {

  private final int capacityBytes;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final ArrayDeque<Integer> lineBytes = new ArrayDeque<>();
  private int totalBytes;

  LogTail(int capacityBytes) {
    this.capacityBytes = Math.max(capacityBytes, 0);
  }

  synchronized void add(String line) {
    byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
    if (utf8.length + 1 > capacityBytes) {
      // A line longer than the whole tail keeps its end, like `tail -c` would.
      int keep = Math.max(capacityBytes - 1, 0);
      line = new String(Arrays.copyOfRange(utf8, utf8.length - keep, utf8.length), StandardCharsets.UTF_8);
      utf8 = line.getBytes(StandardCharsets.UTF_8);
    }
    int bytes = utf8.length + 1;
    while (!lines.isEmpty() && totalBytes + bytes > capacityBytes) {
      lines.removeFirst();
      totalBytes -= lineBytes.removeFirst();
    }
    if (bytes <= capacityBytes) {
      lines.addLast(line);
      lineBytes.addLast(bytes);
      totalBytes += bytes;
    }
  }

  /** The kept lines, each ending with a newline. */
  @Override
  public synchronized String toString() {
    StringBuilder text = new StringBuilder(totalBytes);
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return text.toString();
  }
}
