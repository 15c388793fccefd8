package io.gantry.testkit;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A key prefix of the test Redis that no other test uses, readable in {@code redis-cli} ({@code t:ClassName:1a2b3c4d:})
 * and deleted (every key under it) once the tests are done with it: after the class for a static field
 * ({@code @RegisterExtension static final RedisPrefix prefix = new RedisPrefix();}), after each test for an instance
 * field. Also the one generator of prefixes for tests that handle their own ({@link #random}).
 */
public final class RedisPrefix extends ClassOrTestScoped {
  private final String label;
  private final String url;
  private String value;

  /** A prefix named after the test class, on the test Redis. */
  public RedisPrefix() {
    this(null, TestRedisUrl.get());
  }

  /** A prefix named {@code label} (null: after the test class), on the Redis at {@code url}. */
  public RedisPrefix(String label, String url) {
    this.label = label;
    this.url = url;
  }

  /** {@code t:LABEL:1a2b3c4d:}, a fresh value at every call. */
  public static String random(String label) {
    return "t:" + label + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** The prefix of the class or test running now. */
  public String get() {
    if (value == null) {
      throw new IllegalStateException("RedisPrefix is used before its extension started: register it with "
          + "@RegisterExtension, or take one by hand with RedisPrefix.random");
    }
    return value;
  }

  @Override
  public String toString() {
    return value == null ? "(no prefix yet)" : value;
  }

  @Override
  void open(ExtensionContext context) {
    value = random(label != null ? label : context.getRequiredTestClass().getSimpleName());
  }

  @Override
  void release() {
    deleteKeys(url, value);
  }

  /**
   * Deletes every key under {@code prefix} on the Redis at {@code url}; a Redis that is not there (a test stopped it)
   * leaves them, which the next run does not see anyway.
   */
  public static void deleteKeys(String url, String prefix) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(Duration.ofSeconds(5));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> redis = connection.sync();
      ScanArgs match = ScanArgs.Builder.matches(glob(prefix) + "*").limit(1000);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page = redis.scan(cursor, match);
        if (!page.getKeys().isEmpty()) {
          redis.unlink(page.getKeys().toArray(new byte[0][]));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } catch (RuntimeException e) {
      System.err.println("RedisPrefix: keys under " + prefix + " left on " + url + ": " + e);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static String glob(String prefix) {
    StringBuilder out = new StringBuilder();
    for (char c : prefix.toCharArray()) {
      if ("*?[]\\".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
