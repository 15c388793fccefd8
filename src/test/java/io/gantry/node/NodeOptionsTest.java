package io.gantry.node;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.main.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `gantry node` options and GANTRY_* variables become the node's config; bad ones are refused up front. */
class NodeOptionsTest {

  static NodeOptions parse(Map<String, String> env, String... args) {
    NodeCommand command = new NodeCommand();
    new CommandLine(command).parseArgs(args);
    return NodeOptions.from(command, env::get, Path.of("."));
  }

  @Test
  void optionsWinOverEnvironmentVariables() {
    var config = parse(Map.of("GANTRY_HTTP_PORT", "9001", "GANTRY_REDIS_URL", "redis://10.0.0.5:6379/2",
        "GANTRY_CAPABILITIES", "cpu,gpu"), "--http-port", "9002", "--port", "2600", "--pool", "gpus").config();
    assertEquals(9002, config.getInt("gantry.http.port"));
    assertEquals("redis://10.0.0.5:6379/2", config.getString("gantry.redis.url"));
    assertEquals(java.util.List.of("cpu", "gpu"), config.getStringList("gantry.worker.capabilities"));
    assertEquals("gpus", config.getString("gantry.worker.pool"));
    assertEquals(2600, config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(java.util.List.of("pekko://gantry@127.0.0.1:2600"), config.getStringList("pekko.cluster.seed-nodes"),
        "a node without seeds forms a cluster by itself");
  }

  @Test
  void seedsBecomePekkoAddresses() {
    var config = parse(Map.of(), "--seeds", "10.0.0.1:2551,10.0.0.2:2551", "--roles", "worker").config();
    assertEquals(java.util.List.of("pekko://gantry@10.0.0.1:2551", "pekko://gantry@10.0.0.2:2551"),
        config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(java.util.List.of("worker"), config.getStringList("pekko.cluster.roles"));
  }

  @Test
  void badOptionsExitWithTwoAndSayWhy() {
    for (String[] args : new String[][] {{"node", "--capabilities", "cpu,quantum"}, {"node", "--roles", "boss"},
        {"node", "--config", "/no/such/file.conf"}, {"node", "--http-host", "0.0.0.0"}}) {
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setErr(new PrintWriter(err, true));
      assertEquals(2, cli.execute(args), String.join(" ", args));
      assertFalse(err.toString().isBlank());
    }
  }

  @Test
  void anotherHttpAddressNeedsATokenOrTheOptOut(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of("GANTRY_HTTP_HOST", "0.0.0.0")));
    assertTrue(refused.getMessage().contains("gantry.http.auth-token"), refused.getMessage());
    assertEquals("", parse(Map.of()).config().getString("gantry.http.host"), "the default resolves at bind time");
    Path token = dir.resolve("token.conf");
    java.nio.file.Files.writeString(token, "gantry.http.auth-token = \"s3cret\"");
    assertEquals("0.0.0.0", parse(Map.of(), "--http-host", "0.0.0.0", "--config", token.toString()).config()
        .getString("gantry.http.host"));
    Path optOut = dir.resolve("open.conf");
    java.nio.file.Files.writeString(optOut, "gantry.http.allow-unauthenticated = on");
    parse(Map.of(), "--http-host", "0.0.0.0", "--config", optOut.toString());
    parse(Map.of(), "--http-host", "127.0.0.1");
    parse(Map.of(), "--roles", "orchestrator,worker", "--http-host", "0.0.0.0");
  }
}
