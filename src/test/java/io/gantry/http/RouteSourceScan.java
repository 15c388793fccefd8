package io.gantry.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The routes the code declares, read from the sources of every {@link RouteProvider} in io.gantry.http: the
 * pekko-http directives {@code pathPrefix}, {@code path}, {@code pathEnd}, {@code pathEndOrSingleSlash},
 * {@code pathSingleSlash} and the method directives, nested as the parentheses nest them. Each route is
 * {@code "METHOD /template"} with every path parameter written {@code {}}. A path matcher this scan does not
 * understand, or a method directive outside any path end, fails the scan rather than being skipped.
 */
final class RouteSourceScan {
  private static final Pattern DIRECTIVE = Pattern.compile(
      "(?<![\\w.])(?:Directives\\.)?(pathPrefix|pathEndOrSingleSlash|pathSingleSlash|pathEnd|path"
          + "|get|post|put|delete|patch|head|options)\\s*\\(");
  private static final Set<String> TERMINALS = Set.of("path", "pathEnd", "pathEndOrSingleSlash", "pathSingleSlash");
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");
  private static final Pattern MATCHER_TOKEN = Pattern.compile(
      "segment\\(\\)|segment\\(\"([^\"]*)\"\\)|\"([^\"]*)\"|\\.slash\\(|\\)");

  private record Call(String kind, int start, int close, List<String> segments) {
    boolean encloses(int position) {
      return start < position && position < close;
    }
  }

  private RouteSourceScan() {}

  /** Every route of the RouteProvider sources under {@code dir} (src/main/java/io/gantry/http). */
  static Set<String> routes(Path dir) {
    Set<String> routes = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String source = withoutComments(Files.readString(file));
        if (source.contains("implements RouteProvider")) {
          routes.addAll(routesOf(file.getFileName().toString(), source));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return routes;
  }

  static Set<String> routesOf(String name, String source) {
    List<Call> calls = new ArrayList<>();
    Matcher m = DIRECTIVE.matcher(source);
    while (m.find()) {
      int open = m.end() - 1;
      int close = closing(source, open);
      String kind = m.group(1);
      List<String> segments = kind.equals("path") || kind.equals("pathPrefix")
          ? segments(name, firstArgument(source, open, close)) : List.of();
      calls.add(new Call(kind, m.start(), close, segments));
    }
    Set<String> routes = new TreeSet<>();
    List<Call> terminals = calls.stream().filter(c -> TERMINALS.contains(c.kind())).toList();
    for (Call t : terminals) {
      StringBuilder template = new StringBuilder();
      calls.stream().filter(c -> c.kind().equals("pathPrefix") && c.encloses(t.start()))
          .sorted(Comparator.comparingInt(Call::start))
          .forEach(c -> c.segments().forEach(s -> template.append('/').append(s)));
      t.segments().forEach(s -> template.append('/').append(s));
      String path = template.length() == 0 ? "/" : template.toString();
      if (terminals.stream().anyMatch(other -> other != t && t.encloses(other.start()))) {
        throw new IllegalStateException(name + ": a path end inside another one at " + path);
      }
      Set<String> methods = new TreeSet<>();
      calls.stream().filter(c -> METHODS.contains(c.kind()) && (t.encloses(c.start()) || c.encloses(t.start())))
          .forEach(c -> methods.add(c.kind().toUpperCase()));
      if (methods.isEmpty()) {
        methods.add("ANY");
      }
      methods.forEach(method -> routes.add(method + " " + path));
    }
    for (Call c : calls) {
      if (METHODS.contains(c.kind()) && terminals.stream().noneMatch(t -> t.encloses(c.start()) || c.encloses(t.start()))) {
        throw new IllegalStateException(name + ": a " + c.kind() + " directive outside any path end at offset "
            + c.start());
      }
    }
    return routes;
  }

  /** The segments a path matcher argument matches: {@code "x"}, {@code segment()}, {@code segment("x")}, slashes. */
  private static List<String> segments(String name, String argument) {
    String text = argument.replaceAll("\\s+", "");
    List<String> segments = new ArrayList<>();
    Matcher m = MATCHER_TOKEN.matcher(text);
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalStateException(name + ": a path matcher this scan does not know: " + argument);
      }
      if (m.group().equals("segment()")) {
        segments.add("{}");
      } else if (m.group(1) != null) {
        segments.add(m.group(1));
      } else if (m.group(2) != null) {
        segments.add(m.group(2));
      }
      at = m.end();
    }
    return segments;
  }

  private static String firstArgument(String source, int open, int close) {
    int depth = 0;
    for (int i = open + 1; i < close; i++) {
      char c = source.charAt(i);
      if (c == '"') {
        i = endOfString(source, i);
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        return source.substring(open + 1, i);
      }
    }
    return source.substring(open + 1, close);
  }

  private static int closing(String source, int open) {
    int depth = 0;
    for (int i = open; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        i = endOfString(source, i);
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced parentheses from offset " + open);
  }

  /** The index of the quote that closes the string or char literal opened at {@code open}. */
  private static int endOfString(String source, int open) {
    char quote = source.charAt(open);
    for (int i = open + 1; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    throw new IllegalStateException("unterminated literal at offset " + open);
  }

  /** The source with its comments blanked (string and char literals kept as they are). */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int end = endOfString(source, i);
        out.append(source, i, end + 1);
        i = end;
      } else if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
        while (i < source.length() && source.charAt(i) != '\n') {
          i++;
        }
        out.append('\n');
      } else if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 1;
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
