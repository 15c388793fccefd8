package io.gantry.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.protocol.CborSerializable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The compiled main classes (target/classes) as the dependency tests read them: each class's name, whether it is
 * public, and the classes it refers to, from its constant pool (class entries and the type names inside descriptors
 * and generic signatures; string literals are not references). What the compiler inlined (constants) leaves no
 * trace, which is fine for a dependency check: an inlined constant creates no runtime coupling.
 */
public final class CompiledClasses {
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");
  private static final int ACC_PUBLIC = 0x0001;
  private static List<CompiledClass> main;

  private CompiledClasses() {}

  /** One class file: binary name ({@code io.gantry.a.B$C}), public or not, what it refers to (itself left out). */
  public record CompiledClass(String name, boolean isPublic, Set<String> references) {
    public String packageName() {
      int dot = name.lastIndexOf('.');
      return dot < 0 ? "" : name.substring(0, dot);
    }

    /** A class or interface of its own source file, not a nested one nor a package-info. */
    public boolean isTopLevel() {
      return !name.contains("$") && !name.endsWith(".package-info");
    }
  }

  /** Every class of the main code. */
  public static synchronized List<CompiledClass> main() {
    if (main == null) {
      main = List.copyOf(readAll(mainClassesDir()));
    }
    return main;
  }

  /** The main classes whose binary name matches {@code nameRegex} (at least one, or the reading is off). */
  public static List<CompiledClass> matching(String nameRegex) {
    Pattern p = Pattern.compile(nameRegex);
    List<CompiledClass> found = main().stream().filter(c -> p.matcher(c.name()).matches()).toList();
    assertFalse(found.isEmpty(), "no compiled class matches " + nameRegex + " in " + mainClassesDir());
    return found;
  }

  /**
   * {@code "a.B -> c.D"} for every reference of a class matching {@code fromRegex} to a class {@code forbidden}
   * accepts. {@code expectedTarget}, a class those classes are known to use, proves the references were read.
   */
  public static List<String> dependencies(String fromRegex, Predicate<String> forbidden, String expectedTarget) {
    List<String> found = new ArrayList<>();
    boolean understood = false;
    for (CompiledClass c : matching(fromRegex)) {
      understood |= c.references().contains(expectedTarget);
      for (String to : new TreeSet<>(c.references())) {
        if (forbidden.test(to)) {
          found.add(c.name() + " -> " + to);
        }
      }
    }
    assertTrue(understood, "no class matching " + fromRegex + " refers to " + expectedTarget
        + ": the class files were not read as expected");
    return found;
  }

  /** The simple names of the public top-level types of package {@code pkg} (its subpackages left out). */
  public static Set<String> publicTypes(String pkg) {
    Set<String> names = new TreeSet<>();
    for (CompiledClass c : main()) {
      if (c.packageName().equals(pkg) && c.isTopLevel() && c.isPublic()) {
        names.add(c.name().substring(c.name().lastIndexOf('.') + 1));
      }
    }
    return names;
  }

  static Path mainClassesDir() {
    try {
      return Path.of(CborSerializable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<CompiledClass> readAll(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<CompiledClass> classes = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          classes.add(read(new DataInputStream(in), f));
        }
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JVMS 4.1 and 4.4: the constant pool, then the access flags and this class. */
  private static CompiledClass read(DataInputStream in, Path file) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException(file + " is not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    Set<Integer> classNameIndexes = new HashSet<>();
    Set<Integer> literalIndexes = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> {
          classNameIndex[i] = in.readUnsignedShort();
          classNameIndexes.add(classNameIndex[i]);
        }
        case 8 -> literalIndexes.add(in.readUnsignedShort());
        case 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        default -> throw new IOException(file + ": unknown constant pool tag " + tag);
      }
    }
    int access = in.readUnsignedShort();
    String self = utf8[classNameIndex[in.readUnsignedShort()]];
    Set<String> names = new HashSet<>();
    for (int i = 1; i < count; i++) {
      String s = utf8[i];
      if (s == null || literalIndexes.contains(i) && !classNameIndexes.contains(i)) {
        continue;
      }
      if (classNameIndexes.contains(i)) {
        names.add(s.startsWith("[") ? stripArray(s) : s);
      }
      Matcher m = TYPE_IN_DESCRIPTOR.matcher(s);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    names.remove(null);
    names.remove(self);
    Set<String> binaryNames = new HashSet<>();
    names.forEach(n -> binaryNames.add(n.replace('/', '.')));
    return new CompiledClass(self.replace('/', '.'), (access & ACC_PUBLIC) != 0, Set.copyOf(binaryNames));
  }

  private static String stripArray(String descriptor) {
    Matcher m = TYPE_IN_DESCRIPTOR.matcher(descriptor);
    return m.find() ? m.group(1) : null;
  }
}
