package io.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The edges depend on the actors, never the reverse: no class of the actors' packages (execution, registry, worker)
 * or of the protocol refers to the facade's package, the internal plumbing, the HTTP layer or the node. Read from
 * the compiled classes' constant pools, where every type a class uses is named.
 */
class FacadeBoundaryTest {
  private static final Path CLASSES = Path.of("target/classes/io/gantry");
  /** A class name in a constant pool: io/gantry/<package path>/<Name>. */
  private static final Pattern REFERENCE = Pattern.compile("io/gantry/((?:[a-z][a-z0-9]*/)*)([A-Z][A-Za-z0-9_$]*)");

  @Test
  void theActorsAndTheProtocolDoNotKnowTheEdges() throws IOException {
    List<String> violations = new ArrayList<>();
    for (String inner : List.of("execution", "registry", "worker", "protocol")) {
      try (Stream<Path> files = Files.walk(CLASSES.resolve(inner))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.endsWith("package-info.class"))
            .toList()) {
          for (String used : references(f)) {
            if (used.startsWith("io.gantry.internal.") || used.startsWith("io.gantry.http.")
                || used.startsWith("io.gantry.node.") || used.indexOf('.', "io.gantry.".length()) < 0) {
              violations.add(CLASSES.relativize(f) + " uses " + used);
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void theFacadeIsTheOnlyPublicTypeOfItsPackage() throws IOException {
    TreeSet<String> publicTypes = new TreeSet<>();
    try (Stream<Path> files = Files.list(CLASSES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        if (accessFlags(bytes) % 2 == 1) { // ACC_PUBLIC
          publicTypes.add(f.getFileName().toString().replace(".class", ""));
        }
      }
    }
    assertEquals(new TreeSet<>(List.of("Gantry")), publicTypes);
  }

  private static TreeSet<String> references(Path classFile) throws IOException {
    // Constant pool UTF-8 entries are (modified) UTF-8: ISO-8859-1 keeps every ASCII name intact.
    String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
    TreeSet<String> names = new TreeSet<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      names.add(("io/gantry/" + m.group(1) + m.group(2)).replace('/', '.'));
    }
    assertTrue(names.stream().anyMatch(n -> n.startsWith("io.gantry.")), classFile + " names no Gantry type");
    return names;
  }

  /** The access flags after the constant pool (JVMS 4.1), walking the pool's entries. */
  private static int accessFlags(byte[] b) {
    int count = u2(b, 8);
    int at = 10;
    for (int i = 1; i < count; i++) {
      int tag = b[at] & 0xff;
      switch (tag) {
        case 1 -> at += 3 + u2(b, at + 1);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> at += 5;
        case 5, 6 -> { at += 9; i++; }
        case 7, 8, 16, 19, 20 -> at += 3;
        case 15 -> at += 4;
        default -> throw new IllegalStateException("constant pool tag " + tag);
      }
    }
    return u2(b, at);
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }
}
