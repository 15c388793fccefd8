package io.gantry.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that run {@code bin/gantry cluster} or {@code bin/gantry demo}, which use the fixed ports a user
 * gets (cluster 2551-2553, HTTP 8080-8083): one such class at a time on this machine, also across the suite's
 * parallel test JVMs (a lock on a file; the operating system releases it if the JVM dies).
 * Use: {@code @ExtendWith(FixedPorts.class)}.
 */
public final class FixedPorts implements BeforeAllCallback, AfterAllCallback {
  private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "gantry-test-fixed-ports.lock");
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FixedPorts.class);

  private record Held(FileChannel channel, FileLock lock) {}

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    context.getStore(NS).put(Held.class, new Held(channel, channel.lock()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    Held held = context.getStore(NS).remove(Held.class, Held.class);
    if (held != null) {
      held.lock().release();
      held.channel().close();
    }
  }
}
