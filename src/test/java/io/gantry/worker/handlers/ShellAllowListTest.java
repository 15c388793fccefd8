package io.gantry.worker.handlers;

import static io.gantry.worker.handlers.TestJobContext.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.dag.ShellAllowList;
import io.gantry.worker.JobHandler;
import io.gantry.worker.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker handed a command outside its allow-list (as an older registry, which does not match shell programs,
 * would) refuses it: the attempt fails naming the setting and the process never starts.
 */
class ShellAllowListTest {

  @TempDir Path dir;

  private JobHandler shell(String... allowed) {
    return BuiltInHandlers.create(dir.resolve("work"), 4096, MAPPER,
        ShellAllowList.parse(List.of(allowed), "test")).get("shell");
  }

  private static ObjectNode command(String... argv) {
    ObjectNode config = MAPPER.createObjectNode();
    var array = config.putArray("command");
    for (String a : argv) {
      array.add(a);
    }
    return config;
  }

  @Test
  void anAllowedBareNameRunsAndAnythingElseIsRefusedWithoutStarting() throws Exception {
    JobHandler handler = shell("echo");
    JobOutcome ok = handler.run(new TestJobContext(command("echo", "hello")));
    assertTrue(ok.success(), ok::toString);
    assertEquals("hello\n", ok.logs());

    Path victim = Files.writeString(dir.resolve("victim"), "keep");
    for (ObjectNode refused : List.of(command("rm", "-f", victim.toString()),
        command("sh", "-c", "rm -f " + victim), command("/bin/rm", "-f", victim.toString()),
        command("/bin/echo", "x"), command("./echo", "x"), command("bin/echo", "x"))) {
      JobOutcome outcome = handler.run(new TestJobContext(refused));
      assertFalse(outcome.success(), refused::toString);
      assertTrue(outcome.error().toString().contains("is not allowed on this worker")
          && outcome.error().toString().contains("gantry.worker.shell.allowed-commands is [echo]"), outcome::toString);
    }
    assertTrue(Files.exists(victim), "no refused command ran");
  }

  @Test
  void aBareNameIsResolvedOnTheWorkersPathNotTheJobs() throws Exception {
    Path fake = Files.createDirectories(dir.resolve("fake-bin"));
    Path marker = dir.resolve("fake-ran");
    Path fakeEcho = Files.writeString(fake.resolve("echo"), "#!/bin/sh\ntouch " + marker + "\n");
    Files.setPosixFilePermissions(fakeEcho, PosixFilePermissions.fromString("rwxr-xr-x"));
    ObjectNode config = command("echo", "real");
    config.putObject("env").put("PATH", fake.toString());
    JobOutcome outcome = shell("echo").run(new TestJobContext(config));
    assertTrue(outcome.success(), outcome::toString);
    assertEquals("real\n", outcome.logs());
    assertFalse(Files.exists(marker), "the job's PATH must not choose the program");
  }

  @Test
  void absoluteEntriesMatchTheNormalizedPathOnly() throws Exception {
    JobHandler handler = shell("/bin/echo");
    assertTrue(handler.run(new TestJobContext(command("/bin/../bin/echo", "x"))).success());
    assertFalse(handler.run(new TestJobContext(command("echo", "x"))).success());
    assertEquals(Set.of("/bin/echo", "echo"), ShellAllowList.parse(List.of(" /bin//echo ", "echo"), "s"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ShellAllowList.parse(List.of("./x", "echo"), "gantry.worker.shell.allowed-commands"));
    assertTrue(bad.getMessage().startsWith("gantry.worker.shell.allowed-commands: './x'"), bad.getMessage());
  }
}
