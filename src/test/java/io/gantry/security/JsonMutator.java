package io.gantry.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Turns a valid JSON body into a mutant, deterministically from one {@link Random}: structural changes of the tree
 * (drop, rename, wrong types, absurd numbers, long or odd strings, deep nesting, DAG-specific damage such as cycles)
 * or changes of the bytes (flips, truncation, trailing garbage, invalid UTF-8). Some inputs stay valid on purpose,
 * so that the node also stores and runs what the fuzz sends. Values a tree cannot hold (NaN, 1e400, a lone
 * surrogate, 5000 nested arrays) go in as placeholders replaced in the text.
 */
final class JsonMutator {
  /** A body and the mutations that made it, for the report of a failing input. */
  record Mutant(byte[] body, String how) {
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Writes what the node must refuse too: nesting past Jackson's default limit of 1000. */
  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(100_000).build()).build()).build();
  private static final String[] FIELD_NAMES = {"id", "type", "dependsOn", "priority", "maxRetries", "backoff",
      "timeoutMs", "config", "jobs", "workflowId", "executionId", "metadata", "ms", "max", "waitMs", "success",
      "output", "percent", "checkpoint", "owner", "ttlMs", "extensionMs", "executions", "workerId", "pool",
      "jobTypes", "capabilities", "maxConcurrency", "runningAttempts", "delayed", "graceMs", "limit", "checkpointId",
      "__proto__", "constructor", "", " ", "id\u0000", "\u00e9t\u00e9"};
  static final String[] TYPES = {"noop", "sleep", "fail", "fuzz-unknown", "x.y_z-1", "NOOP", "", " noop",
      "a".repeat(64), "a".repeat(65), "no op", "n\u00f6op", "../../bin/sh"};
  private static final String[] RAW_VALUES = {"NaN", "-Infinity", "Infinity", "1e400", "-1e400", "1e-400",
      "99999999999999999999999999999999999999", "-0", "0.0000000000000000000000001", "\"\\ud800\"", "\"\\udfff\\ud800\"",
      "\"\\u0000\"", "01", "+1", ".5", "0x10", "True", "undefined", "'single'", "[1,]", "{\"a\":1,}", "\"\\x41\""};
  private static final String[] CONTENT_TYPES = {"application/json", "text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
      "application/octet-stream", "application/xml", "text/plain; charset=\u00ff", "a/b/c", ";;;", ""};

  private final Random random;
  private final DagMutations dags;
  private final List<String> raws = new ArrayList<>();

  JsonMutator(Random random) {
    this.random = random;
    this.dags = new DagMutations(random);
  }

  /** A content type for the request: mostly JSON, sometimes another one, none (null), or garbage. */
  String contentType() {
    int p = random.nextInt(100);
    if (p < 75) {
      return "application/json";
    }
    if (p < 82) {
      return null;
    }
    return CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
  }

  Mutant mutate(JsonNode valid) {
    int p = random.nextInt(100);
    if (p < 18) {
      return new Mutant(text(valid), "valid");
    }
    if (p < 62) {
      JsonNode tree = valid.deepCopy();
      List<String> how = new ArrayList<>();
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        tree = mutateTree(tree, how);
      }
      return new Mutant(text(tree), String.join(", ", how));
    }
    return mutateBytes(text(valid));
  }

  // ---- the tree

  private JsonNode mutateTree(JsonNode tree, List<String> how) {
    if (tree.has("jobs") && tree.get("jobs").isArray() && random.nextInt(3) == 0) {
      return dags.mutate(tree, how);
    }
    List<Slot> slots = new ArrayList<>();
    collect(tree, slots, 0);
    if (slots.isEmpty()) {
      how.add("replaced the whole body");
      return oddValue(how);
    }
    Slot s = slots.get(random.nextInt(slots.size()));
    switch (random.nextInt(6)) {
      case 0 -> {
        how.add("dropped " + s.name());
        s.remove();
      }
      case 1 -> {
        if (s.parent().isObject()) {
          String to = FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
          how.add("renamed " + s.name() + " to '" + to + "'");
          ObjectNode o = (ObjectNode) s.parent();
          JsonNode v = o.remove(s.key());
          o.set(to, v);
        } else {
          how.add("duplicated " + s.name());
          ((ArrayNode) s.parent()).add(s.value().deepCopy());
        }
      }
      case 2 -> {
        if (s.parent().isObject()) {
          String added = FIELD_NAMES[random.nextInt(FIELD_NAMES.length)];
          how.add("added field '" + added + "'");
          ((ObjectNode) s.parent()).set(added, oddValue(how));
        } else {
          s.set(oddValue(how));
        }
      }
      default -> {
        how.add("replaced " + s.name());
        s.set(oddValue(how));
      }
    }
    return tree;
  }

  /** A value of any JSON type, often absurd. */
  private JsonNode oddValue(List<String> how) {
    int p = random.nextInt(16);
    return switch (p) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(random.nextBoolean());
      case 2 -> F.numberNode(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
          Integer.MIN_VALUE, -1, 0, 1, 5, 10, 11, 20, 21, 30_000, 30_001, 100_000}[random.nextInt(16)]);
      case 3 -> F.numberNode(new double[] {1e308, -1e308, 1.5, -0.5, 4.9e-324, 99.999, 100.0001}[random.nextInt(7)]);
      case 4 -> F.numberNode(new BigInteger("9".repeat(1 + random.nextInt(60))));
      case 5 -> F.numberNode(new BigDecimal("1e" + (300 + random.nextInt(200))));
      case 6 -> F.textNode(longString());
      case 7 -> F.textNode(oddString());
      case 8 -> raw(RAW_VALUES[random.nextInt(RAW_VALUES.length)], how);
      case 9 -> {
        int depth = 900 + random.nextInt(5000);
        yield raw("[".repeat(depth) + "1" + "]".repeat(random.nextBoolean() ? depth : 0), how);
      }
      case 10 -> nested(10 + random.nextInt(990));
      case 11 -> F.arrayNode();
      case 12 -> F.objectNode();
      case 13 -> manyStrings();
      case 14 -> F.textNode(TYPES[random.nextInt(TYPES.length)]);
      default -> F.textNode("fz-" + random.nextInt(1000));
    };
  }

  private JsonNode raw(String text, List<String> how) {
    how.add("raw " + (text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + " chars)" : text));
    raws.add(text);
    return F.textNode("\u0007RAW" + (raws.size() - 1) + "\u0007");
  }

  private JsonNode nested(int depth) {
    JsonNode v = F.textNode("deep");
    for (int i = 0; i < depth; i++) {
      v = random.nextBoolean() ? F.arrayNode().add(v) : F.objectNode().set("a", v);
    }
    return v;
  }

  private JsonNode manyStrings() {
    ArrayNode a = F.arrayNode();
    int n = random.nextInt(3) == 0 ? 10_001 + random.nextInt(20_000) : random.nextInt(50);
    for (int i = 0; i < n; i++) {
      a.add(random.nextInt(10) == 0 ? "cpu" : "s" + i);
    }
    return a;
  }

  private String longString() {
    int n = random.nextInt(4) == 0 ? 100_000 + random.nextInt(1_000_000) : 129 + random.nextInt(5000);
    return "x".repeat(n);
  }

  private String oddString() {
    String[] odd = {"", " ", "\u0000", "\u0001\u001f\u007f", "line\nbreak", "tab\t", "\ud83d\ude00", "\u202eevil",
        "\ufeffbom", "\u0085", "\"quoted\"", "back\\slash", "%00", "../..", "a:b", "a/b", "<script>", "\ufffd",
        "\u0130\u0131", "\u00e9\u0301"};
    return odd[random.nextInt(odd.length)] + (random.nextBoolean() ? "" : "-" + random.nextInt(100));
  }

  // ---- the bytes

  private Mutant mutateBytes(byte[] valid) {
    byte[] b = valid.clone();
    int p = random.nextInt(11);
    switch (p) {
      case 0, 1, 2 -> {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips && b.length > 0; i++) {
          int at = random.nextInt(b.length);
          b[at] = random.nextBoolean() ? (byte) (b[at] ^ (1 << random.nextInt(8))) : (byte) random.nextInt(256);
        }
        return new Mutant(b, flips + " byte flips");
      }
      case 3 -> {
        int at = b.length == 0 ? 0 : random.nextInt(b.length);
        return new Mutant(java.util.Arrays.copyOf(b, at), "truncated at " + at);
      }
      case 4 -> {
        String[] tails = {"}", "]", ",", " x", "{}", "\u0000", "{\"a\":1}", "garbage", "\n\n{", "//c", "/*"};
        return new Mutant(concat(b, tails[random.nextInt(tails.length)].getBytes(StandardCharsets.UTF_8)),
            "trailing garbage");
      }
      case 5 -> {
        byte[][] bad = {{(byte) 0xc3, 0x28}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {0x00},
            {(byte) 0xe2, (byte) 0x82}};
        int at = insideString(b);
        return new Mutant(insert(b, at, bad[random.nextInt(bad.length)]), "invalid UTF-8 at " + at);
      }
      case 6 -> {
        String key = FIELD_NAMES[random.nextInt(9)];
        int at = indexOf(b, (byte) '{');
        byte[] dup = ("\"" + key + "\":" + (random.nextBoolean() ? "1" : "\"dup\"") + ",")
            .getBytes(StandardCharsets.UTF_8);
        return new Mutant(at < 0 ? b : insert(b, at + 1, dup), "duplicated key '" + key + "'");
      }
      case 7 -> {
        String[] bodies = {"", " ", "\n", "null", "true", "0", "-1", "\"text\"", "[]", "{}", "[{}]", "{\"\":\"\"}",
            "\ufeff{}", "{".repeat(100_000), "[".repeat(2000) + "]".repeat(2000), "{\"a\":" + "[".repeat(1500) + "]"};
        String body = bodies[random.nextInt(bodies.length)];
        return new Mutant(body.getBytes(StandardCharsets.UTF_8),
            "body " + (body.length() > 30 ? body.substring(0, 30) + "...(" + body.length() + ")" : "'" + body + "'"));
      }
      case 8 -> {
        int at = insideString(b);
        byte[] ctl = {(byte) random.nextInt(0x20)};
        return new Mutant(insert(b, at, ctl), "raw control char " + ctl[0] + " at " + at);
      }
      case 9 -> {
        return new Mutant(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16), "sent as UTF-16");
      }
      default -> {
        int n = 1 + random.nextInt(4);
        byte[] noise = new byte[n * 16];
        random.nextBytes(noise);
        return new Mutant(insert(b, b.length == 0 ? 0 : random.nextInt(b.length), noise), "random bytes inserted");
      }
    }
  }

  private int insideString(byte[] b) {
    List<Integer> quotes = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '"') {
        quotes.add(i + 1);
      }
    }
    return quotes.isEmpty() ? 0 : quotes.get(random.nextInt(quotes.size()));
  }

  private static int indexOf(byte[] b, byte c) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + what.length);
    out.write(b, 0, at);
    out.write(what, 0, what.length);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return insert(a, a.length, b);
  }

  /** The tree as UTF-8, with the raw placeholders replaced by their text. */
  private byte[] text(JsonNode tree) {
    String s;
    try {
      s = MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < raws.size(); i++) {
      s = s.replace("\"\\u0007RAW" + i + "\\u0007\"", raws.get(i));
    }
    raws.clear();
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- walking the tree

  /** A place in the tree: a field of an object or an element of an array. */
  private record Slot(JsonNode parent, String key, int index, JsonNode value) {
    String name() {
      return key != null ? "'" + key + "'" : "[" + index + "]";
    }

    void remove() {
      if (parent instanceof ObjectNode o) {
        o.remove(key);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }

    void set(JsonNode v) {
      if (parent instanceof ObjectNode o) {
        o.set(key, v);
      } else {
        ((ArrayNode) parent).set(index, v);
      }
    }
  }

  private static void collect(JsonNode node, List<Slot> slots, int depth) {
    if (depth > 6 || slots.size() > 500) {
      return;
    }
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        slots.add(new Slot(node, name, -1, node.get(name)));
        collect(node.get(name), slots, depth + 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        slots.add(new Slot(node, null, i, node.get(i)));
        collect(node.get(i), slots, depth + 1);
      }
    }
  }
}
