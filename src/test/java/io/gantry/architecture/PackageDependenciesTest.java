package io.gantry.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the compiled main classes has no circle and is exactly the table in docs/ARCHITECTURE.md
 * ("Who may import whom"): a new dependency is a design decision, made in the document first.
 */
class PackageDependenciesTest {
  private static final String ROOT = "io.gantry";
  private static final String BEGIN = "<!-- package-dependencies -->";
  private static final String END = "<!-- /package-dependencies -->";

  private static Map<String, Set<String>> actual;

  @BeforeAll
  static void readClasses() {
    actual = new TreeMap<>();
    for (CompiledClasses.CompiledClass c : CompiledClasses.main()) {
      Set<String> deps = actual.computeIfAbsent(c.packageName(), k -> new TreeSet<>());
      for (String ref : c.references()) {
        if (ref.startsWith(ROOT + ".")) {
          String to = packageOf(ref);
          if (!to.equals(c.packageName())) {
            deps.add(to);
          }
        }
      }
    }
  }

  @Test
  void thePackageGraphHasNoCircle() {
    List<List<String>> circles = stronglyConnected(actual).stream().filter(c -> c.size() > 1).toList();
    assertTrue(circles.isEmpty(), "packages that import each other (directly or around a circle): " + circles);
  }

  @Test
  void thePackageGraphIsTheOneDocumented() throws IOException {
    Map<String, Set<String>> documented = documented(Path.of("docs/ARCHITECTURE.md"));
    List<String> problems = new ArrayList<>();
    actual.forEach((from, deps) -> {
      Set<String> allowed = documented.get(from);
      if (allowed == null) {
        problems.add(from + " is not in the table");
        return;
      }
      for (String to : deps) {
        if (!allowed.contains(to)) {
          problems.add(from + " imports " + to + ", which the table does not allow");
        }
      }
    });
    documented.forEach((from, deps) -> {
      for (String to : deps) {
        if (!actual.getOrDefault(from, Set.of()).contains(to)) {
          problems.add("the table lets " + from + " import " + to + ", which it does not: remove it");
        }
      }
      if (!actual.containsKey(from)) {
        problems.add("the table lists " + from + ", which has no classes");
      }
    });
    assertEquals(List.of(), problems, "docs/ARCHITECTURE.md's package table and the code differ; the code's table:\n"
        + table(actual));
  }

  /** Lines "name: dep dep ..." between the markers; names are relative to io.gantry ("(root)" for it). */
  private static Map<String, Set<String>> documented(Path doc) throws IOException {
    String text = Files.readString(doc);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertTrue(begin >= 0 && end > begin, doc + " has no " + BEGIN + " ... " + END + " table");
    Map<String, Set<String>> table = new TreeMap<>();
    for (String line : text.substring(begin + BEGIN.length(), end).split("\n")) {
      int colon = line.indexOf(':');
      if (line.isBlank() || line.startsWith("```") || colon < 0) {
        continue;
      }
      Set<String> deps = new TreeSet<>();
      for (String d : line.substring(colon + 1).trim().split("\\s+")) {
        if (!d.isEmpty() && !d.equals("-")) {
          deps.add(qualified(d));
        }
      }
      table.put(qualified(line.substring(0, colon).trim()), deps);
    }
    return table;
  }

  private static String table(Map<String, Set<String>> graph) {
    StringBuilder b = new StringBuilder();
    graph.forEach((from, deps) -> {
      b.append(relative(from)).append(':');
      deps.forEach(d -> b.append(' ').append(relative(d)));
      if (deps.isEmpty()) {
        b.append(" -");
      }
      b.append('\n');
    });
    return b.toString();
  }

  private static String relative(String pkg) {
    return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
  }

  private static String qualified(String shortName) {
    return shortName.equals("(root)") ? ROOT : ROOT + "." + shortName;
  }

  private static String packageOf(String binaryName) {
    return binaryName.substring(0, binaryName.lastIndexOf('.'));
  }

  /** Tarjan's strongly connected components. */
  private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }
}
