package io.gantry.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The output lines of one attempt printed so far by {@code logs --follow}: those sent live with its progress, then
 * the part of its final logs tail that came after them. The final tail repeats the last lines sent live, so it is
 * aligned on the last lines printed (up to {@link #KEPT} of them, since the last line the worker did not send live).
 */
final class AttemptLines {
  private static final int KEPT = 200;
  /** The line a worker sends in place of lines it printed too fast to send live (API.md, job-progress). */
  private static final Pattern NOT_SENT = Pattern.compile("^\\[gantry: \\d+ lines? not sent live.*\\]$");

  private final ArrayDeque<String> recent = new ArrayDeque<>();
  private boolean ended;

  /** The live lines to print: all of them (the worker sends each once). */
  String live(String logs) {
    if (ended) {
      return "";
    }
    for (String line : lines(logs)) {
      if (NOT_SENT.matcher(line).matches()) {
        recent.clear();
      } else {
        recent.addLast(line);
        if (recent.size() > KEPT) {
          recent.removeFirst();
        }
      }
    }
    return logs;
  }

  /** The lines of the final logs tail not printed yet; empty when the attempt's end was already printed. */
  String unprinted(String logs) {
    if (ended) {
      return "";
    }
    ended = true;
    List<String> tail = lines(logs);
    int from = alignedEnd(tail);
    StringBuilder text = new StringBuilder();
    tail.subList(from, tail.size()).forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  /** Where the lines not printed begin: just after the latest place the tail holds the lines printed last. */
  private int alignedEnd(List<String> tail) {
    if (recent.isEmpty()) {
      return 0;
    }
    List<String> printed = new ArrayList<>(recent);
    for (int end = tail.size(); end > 0; end--) {
      int n = Math.min(end, printed.size());
      if (tail.subList(end - n, end).equals(printed.subList(printed.size() - n, printed.size()))) {
        return end;
      }
    }
    return 0;
  }

  private static List<String> lines(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(body.split("\n", -1));
  }
}
