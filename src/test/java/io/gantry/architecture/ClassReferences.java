package io.gantry.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a compiled class refers to, read from its constant pool: class entries and the type names inside
 * descriptors and generic signatures. What the compiler inlined (constants) leaves no trace, which is fine for a
 * dependency check: an inlined constant creates no runtime coupling.
 */
final class ClassReferences {
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

  private ClassReferences() {}

  /** Internal names (a/b/C$D) of every class {@code classFile} refers to. */
  static Set<String> of(Path classFile) throws IOException {
    try (InputStream in = Files.newInputStream(classFile)) {
      return read(new DataInputStream(in));
    }
  }

  private static Set<String> read(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    Set<Integer> classNameIndexes = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndexes.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    Set<String> names = new HashSet<>();
    for (int i = 1; i < count; i++) {
      String s = utf8[i];
      if (s == null) {
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
    return names;
  }

  private static String stripArray(String descriptor) {
    Matcher m = TYPE_IN_DESCRIPTOR.matcher(descriptor);
    return m.find() ? m.group(1) : null;
  }
}
