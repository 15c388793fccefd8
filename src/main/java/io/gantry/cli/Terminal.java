package io.gantry.cli;

/**
 * The width output should fit: {@code COLUMNS} when exported (e.g. {@code COLUMNS=100 gantry list}), else the
 * terminal's width that the bin/gantry launcher measured ({@code -Dgantry.columns}, when stderr is a terminal).
 * Tables on stdout use that width only when stdout is a terminal too ({@code -Dgantry.stdout.tty}): output piped to
 * a file or a script is never cut to a width unless COLUMNS asks for it.
 */
final class Terminal {
  private static final int MIN_COLUMNS = 20;

  private Terminal() {}

  /** The width of stderr's terminal (progress lines); 0 when unknown. */
  static int columns() {
    int fromEnv = parse(System.getenv("COLUMNS"));
    return fromEnv > 0 ? fromEnv : parse(System.getProperty("gantry.columns"));
  }

  /** The width tables on stdout fit; 0 when unknown or stdout is not a terminal. */
  static int stdoutColumns() {
    int fromEnv = parse(System.getenv("COLUMNS"));
    if (fromEnv > 0) {
      return fromEnv;
    }
    return "false".equals(System.getProperty("gantry.stdout.tty")) ? 0 : parse(System.getProperty("gantry.columns"));
  }

  /** {@code line} cut to one character less than the width, so that it never wraps (a redrawn line must not). */
  static String fit(String line) {
    int columns = columns();
    return columns > 1 && line.length() >= columns ? line.substring(0, columns - 1) : line;
  }

  /** A line of stdout cut to the table width (with "..."), so that it does not wrap on a terminal. */
  static String fitStdout(String line) {
    int columns = stdoutColumns();
    return columns > 0 ? ellipsize(line, columns) : line;
  }

  /** {@code text} in at most {@code width} characters, "..." marking a cut when there is room for it. */
  static String ellipsize(String text, int width) {
    if (width <= 0 || text.length() <= width) {
      return width <= 0 ? "" : text;
    }
    return width > 5 ? text.substring(0, width - 3) + "..." : text.substring(0, width);
  }

  private static int parse(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(value.strip());
      return n >= MIN_COLUMNS ? n : n > 0 ? MIN_COLUMNS : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
