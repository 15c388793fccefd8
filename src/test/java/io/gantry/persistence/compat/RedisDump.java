package io.gantry.persistence.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The raw Redis keys under a prefix as JSON, and back: key names relative to the prefix (text), every value, hash
 * field and member base64 (binary-safe), sorted-set scores exact. Types: string, hash, list, set, zset; anything
 * else (a stream) fails loudly rather than being left out.
 */
final class RedisDump {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder UNB64 = Base64.getDecoder();

  private RedisDump() {}

  /** Every key under {@code prefix} that has no TTL (leases and presence keys expire: they are not stored data). */
  static ObjectNode dump(RedisCommands<byte[], byte[]> redis, String prefix, List<String> skippedVolatile) {
    Map<String, byte[]> keys = new TreeMap<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
      for (byte[] k : page.getKeys()) {
        keys.put(new String(k, StandardCharsets.UTF_8), k);
      }
      cursor = page;
    } while (!cursor.isFinished());
    ObjectNode out = JSON.objectNode();
    byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
    for (Map.Entry<String, byte[]> e : keys.entrySet()) {
      byte[] key = e.getValue();
      String relative = e.getKey().substring(prefix.length());
      if (redis.pttl(key) >= 0) {
        skippedVolatile.add(relative);
        continue;
      }
      ObjectNode entry = out.putObject(relative);
      String type = redis.type(key);
      entry.put("type", type);
      switch (type) {
        case "string" -> entry.put("value", b64(redis.get(key), prefixBytes, relative));
        case "hash" -> {
          ObjectNode fields = entry.putObject("fields");
          new TreeMap<>(base64Keys(redis.hgetall(key), prefixBytes, relative)).forEach(fields::put);
        }
        case "list" -> {
          ArrayNode values = entry.putArray("values");
          redis.lrange(key, 0, -1).forEach(v -> values.add(b64(v, prefixBytes, relative)));
        }
        case "set" -> {
          ArrayNode members = entry.putArray("members");
          redis.smembers(key).stream().map(v -> b64(v, prefixBytes, relative)).sorted().forEach(members::add);
        }
        case "zset" -> {
          ArrayNode members = entry.putArray("members");
          for (ScoredValue<byte[]> v : redis.zrangeWithScores(key, 0, -1)) {
            members.addObject().put("score", v.getScore()).put("member", b64(v.getValue(), prefixBytes, relative));
          }
        }
        default -> throw new IllegalStateException("key " + relative + " has type " + type + ", which the dump "
            + "does not know; extend RedisDump before writing a fixture");
      }
    }
    return out;
  }

  /** Deletes every key under {@code prefix} (a test's own, once it is done). */
  static void deleteAll(RedisCommands<byte[], byte[]> redis, String prefix) {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
      if (!page.getKeys().isEmpty()) {
        redis.del(page.getKeys().toArray(new byte[0][]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  /**
   * Writes every key of a dump under {@code prefix}. A key that exists already is refused, except a set (the
   * {@code pools} set a node writes at its start): its members are added.
   */
  static void load(RedisCommands<byte[], byte[]> redis, JsonNode dump, String prefix) {
    List<String> names = new ArrayList<>();
    dump.fieldNames().forEachRemaining(names::add);
    for (String relative : names) {
      JsonNode entry = dump.get(relative);
      byte[] key = (prefix + relative).getBytes(StandardCharsets.UTF_8);
      if (redis.exists(key) != 0 && !entry.get("type").asText().equals("set")) {
        throw new IllegalStateException("key " + prefix + relative + " exists already: load into a fresh prefix");
      }
      switch (entry.get("type").asText()) {
        case "string" -> redis.set(key, bytes(entry.get("value")));
        case "hash" -> entry.get("fields").fields().forEachRemaining(f ->
            redis.hset(key, UNB64.decode(f.getKey()), bytes(f.getValue())));
        case "list" -> entry.get("values").forEach(v -> redis.rpush(key, bytes(v)));
        case "set" -> entry.get("members").forEach(v -> redis.sadd(key, bytes(v)));
        case "zset" -> entry.get("members").forEach(m ->
            redis.zadd(key, m.get("score").asDouble(), bytes(m.get("member"))));
        default -> throw new IllegalStateException("unknown type in the dump for " + relative + ": " + entry);
      }
    }
  }

  /** Every stored value of a key of the dump, decoded (zset members, hash values, list/set items, the string). */
  static List<byte[]> values(JsonNode entry) {
    List<byte[]> out = new ArrayList<>();
    switch (entry.get("type").asText()) {
      case "string" -> out.add(bytes(entry.get("value")));
      case "hash" -> entry.get("fields").forEach(v -> out.add(bytes(v)));
      case "zset" -> entry.get("members").forEach(m -> out.add(bytes(m.get("member"))));
      default -> (entry.has("values") ? entry.get("values") : entry.get("members")).forEach(v -> out.add(bytes(v)));
    }
    return out;
  }

  private static Map<String, String> base64Keys(Map<byte[], byte[]> hash, byte[] prefix, String key) {
    Map<String, String> out = new TreeMap<>();
    hash.forEach((f, v) -> out.put(b64(f, prefix, key), b64(v, prefix, key)));
    return out;
  }

  private static byte[] bytes(JsonNode b64) {
    return UNB64.decode(b64.asText());
  }

  /** A stored value that embeds the prefix would not survive a move to another prefix: refuse it. */
  private static String b64(byte[] value, byte[] prefix, String key) {
    if (indexOf(value, prefix) >= 0) {
      throw new IllegalStateException("a value of " + key + " contains the key prefix; the dump cannot relocate it");
    }
    return B64.encodeToString(value);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
