package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.main.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `gantry node` with a malformed token configuration exits with 2 before it starts anything, naming the setting and
 * the entry by its position, and never echoing a token (nor a field that might be one).
 */
class TokenConfigRefusalTest {
  static final String SECRET = "do-not-echo-4e6a8c0b2d";

  @TempDir
  Path dir;

  @Test
  void malformedTokensRefuseToStartAndNameTheEntryWithoutTheToken() throws Exception {
    assertRefused(fileOf("ok:read:another-token-0123456789\n" + SECRET + ":admin\n"),
        "tokens-file", "line 2: expected name:role:token");
    assertRefused(fileOf("# comment\nci:" + SECRET + ":submit\n"), "line 2: unknown role");
    assertRefused(fileOf("ci:submit:" + SECRET + "\nci2:read:" + SECRET + "\n"),
        "line 2: the token of 'ci2' is the same as that of 'ci'");
    assertRefused(fileOf("ci:submit:" + SECRET + "\nci:read:other-token-0123456789\n"),
        "line 2: the name 'ci' is taken");
    assertRefused("gantry.http.tokens-file = \"" + dir.resolve("missing") + "\"", "cannot read");
    assertRefused("gantry.http.tokens = [{name = \"" + SECRET + " x\", role = admin, token = abcdefghijklmnopq}]",
        "gantry.http.tokens[0]: the name must be");
    assertRefused("gantry.http.tokens = [{name = ci, role = superuser, token = \"" + SECRET + "\"}]",
        "gantry.http.tokens[0]: unknown role");
    assertRefused("gantry.http.tokens = [{name = ci, role = read}]", "'token' is missing");
    assertRefused("gantry.http.tokens = \"ci:submit:" + SECRET + ",dash:reader:x-0123456789abcdef\"",
        "GANTRY_TOKENS) entry 2: unknown role");
  }

  @Test
  void aTokenOfAnyRoleCountsAsATokenForTheBinding() throws Exception {
    Config readOnly = ConfigFactory.parseString("gantry.http.host = \"\"\ngantry.http.tokens-file = \""
        + Files.writeString(dir.resolve("read"), "dash:read:" + SECRET + "\n") + "\"").withFallback(ConfigFactory.load());
    HttpSettings settings = HttpSettings.fromConfig(readOnly);
    assertEquals("0.0.0.0", settings.host(), "with a token the default binding is every interface");
    assertTrue(settings.refusal().isEmpty());
    HttpSettings none = HttpSettings.fromConfig(ConfigFactory.parseString("gantry.http.host = \"0.0.0.0\"")
        .withFallback(ConfigFactory.load()));
    assertTrue(none.refusal().orElse("").contains("gantry.http.tokens"), none.refusal().toString());
  }

  private String fileOf(String lines) throws Exception {
    Path file = Files.createTempFile(dir, "tokens", ".txt");
    Files.writeString(file, lines);
    return "gantry.http.tokens-file = \"" + file + "\"";
  }

  private void assertRefused(String hocon, String... needles) throws Exception {
    Path conf = Files.createTempFile(dir, "node", ".conf");
    Files.writeString(conf, hocon + "\ngantry.node.roles = [orchestrator, api]\n");
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    assertEquals(2, cli.execute("node", "--config", conf.toString()), hocon + "\n" + err);
    for (String needle : needles) {
      assertTrue(err.toString().contains(needle), "'" + needle + "' in: " + err);
    }
    assertFalse(err.toString().contains(SECRET) || out.toString().contains(SECRET), "the token is echoed: " + err);
  }
}
