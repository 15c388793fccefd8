package io.gantry.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with left-aligned columns sized to their content and fitted to the terminal's width
 * ({@link Terminal#stdoutColumns()}): the widest columns give way first, down to their header's width, then
 * further if need be; a cut cell ends in "...". With no known width a cell is cut at {@link #MAX_CELL}.
 */
final class Table {
  private static final int MAX_CELL = 60;
  private static final int GAP = 2;
  private static final int MIN_COLUMN = 3;

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(Object... cells) {
    rows.add(Arrays.stream(cells).map(c -> oneLine(c == null ? "" : String.valueOf(c))).toList());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  String render() {
    return render(Terminal.stdoutColumns());
  }

  /** {@code columns}: the width to fit, 0 for none. */
  String render(int columns) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
      widths[i] = columns > 0 ? widths[i] : Math.min(widths[i], MAX_CELL);
    }
    if (columns > 0) {
      fit(widths, columns);
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, widths);
    rows.forEach(r -> line(sb, r, widths));
    return sb.toString();
  }

  /** Narrows the widest columns, one character at a time, first not below their header, then not below 3. */
  private void fit(int[] widths, int columns) {
    int total = GAP * (widths.length - 1);
    for (int w : widths) {
      total += w;
    }
    for (boolean keepHeaders : new boolean[] {true, false}) {
      while (total > columns) {
        int widest = -1;
        for (int i = 0; i < widths.length; i++) {
          int floor = Math.min(keepHeaders ? Math.max(header.get(i).length(), MIN_COLUMN) : MIN_COLUMN, widths[i]);
          if (widths[i] > floor && (widest < 0 || widths[i] > widths[widest])) {
            widest = i;
          }
        }
        if (widest < 0) {
          break;
        }
        widths[widest]--;
        total--;
      }
    }
  }

  private static void line(StringBuilder sb, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = Terminal.ellipsize(cells.get(i), widths[i]);
      line.append(i == cells.size() - 1 ? cell : String.format("%-" + widths[i] + "s", cell) + " ".repeat(GAP));
    }
    sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ");
  }
}
