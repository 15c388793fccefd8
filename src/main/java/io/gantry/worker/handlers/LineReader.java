package io.gantry.worker.handlers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a process stream into lines (LF or CRLF). A line longer than {@code maxLineChars} is passed
 * on in pieces, so a process that never prints a newline cannot exhaust the worker's memory.
 */
final class LineReader {

  private LineReader() {}

  /** Reads until end of stream and hands each line to {@code sink}; returns quietly when the stream breaks. */
  static void forEachLine(InputStream stream, int maxLineChars, Consumer<String> sink) {
    StringBuilder line = new StringBuilder();
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      int read;
      while ((read = reader.read(buffer)) != -1) {
        for (int i = 0; i < read; i++) {
          char c = buffer[i];
          if (c == '\n') {
            sink.accept(withoutCarriageReturn(line));
            line.setLength(0);
          } else {
            line.append(c);
            if (line.length() >= maxLineChars) {
              sink.accept(line.toString());
              line.setLength(0);
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream closes under us when the process is killed: what was read so far is kept.
    }
    if (line.length() > 0) {
      sink.accept(withoutCarriageReturn(line));
    }
  }

  private static String withoutCarriageReturn(StringBuilder line) {
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }
}
