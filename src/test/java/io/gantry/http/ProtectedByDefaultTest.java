package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * API.md §1: with no token the HTTP API listens on loopback only; another address needs a token or the explicit
 * opt-out, which /health/state then warns about. The listening sockets are read from /proc/net/tcp{,6}: no traffic
 * leaves the host.
 */
class ProtectedByDefaultTest {

  @Test
  void withNoTokenTheDefaultBindingIsLoopbackOnly() throws Exception {
    try (TestNode node = TestNode.builder().roles("orchestrator").api().config("gantry.http.host = \"\"").build()
        .start()) {
      List<InetAddress> bound = listeningOn(node.httpPort());
      assertEquals(1, bound.size(), "one listening socket on port " + node.httpPort() + ": " + bound);
      assertTrue(bound.get(0).isLoopbackAddress(), "the API listens on " + bound.get(0) + ", not loopback");
    }
  }

  @Test
  void theOptOutListensEverywhereAndSaysSoOnHealthState() throws Exception {
    try (TestNode node = TestNode.builder().roles("orchestrator").api()
        .config("gantry.http.host = \"0.0.0.0\"\ngantry.http.allow-unauthenticated = on").build().start()) {
      List<InetAddress> bound = listeningOn(node.httpPort());
      assertTrue(bound.stream().anyMatch(InetAddress::isAnyLocalAddress), "listening on " + bound);
      TestHttpClient.Answer state = node.http().get("/health/state");
      assertTrue(state.body().contains("with no token"), state.body());
    }
  }

  @Test
  void theBindingFollowsTheToken() {
    HttpSettings open = HttpSettings.fromConfig(ConfigFactory.parseString("gantry.http.host = \"\"\n"
        + "gantry.http.auth-token = \"\"").withFallback(ConfigFactory.load()));
    assertEquals("127.0.0.1", open.host());
    assertTrue(open.refusal().isEmpty());
    HttpSettings withToken = HttpSettings.fromConfig(ConfigFactory.parseString("gantry.http.host = \"\"\n"
        + "gantry.http.auth-token = \"s3cret\"").withFallback(ConfigFactory.load()));
    assertEquals("0.0.0.0", withToken.host());
    assertTrue(withToken.refusal().isEmpty());
    HttpSettings exposed = HttpSettings.fromConfig(ConfigFactory.parseString("gantry.http.host = \"0.0.0.0\"\n"
        + "gantry.http.auth-token = \"\"").withFallback(ConfigFactory.load()));
    assertTrue(exposed.refusal().orElse("").contains("gantry.http.auth-token"), exposed.refusal().toString());
  }

  /** The local addresses of the TCP sockets listening on {@code port}, IPv4 and IPv6. */
  static List<InetAddress> listeningOn(int port) throws IOException {
    List<InetAddress> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
          out.add(address(local[0]));
        }
      }
    }
    return out;
  }

  /** /proc/net/tcp writes each 32-bit word of the address in host order (little-endian here). */
  private static InetAddress address(String hex) throws IOException {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[raw.length];
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        bytes[word + i] = raw[word + 3 - i];
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
