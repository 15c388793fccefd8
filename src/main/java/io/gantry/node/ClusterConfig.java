package io.gantry.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Derives Pekko's cluster settings (artery address and transport, roles, seed nodes) from the gantry.node block. */
final class ClusterConfig {
  static final String SYSTEM_NAME = "gantry";

  private ClusterConfig() {}

  /** Cluster TLS is on when {@code gantry.node.tls.keystore} is set (NodeOptions checks the truststore is too). */
  static boolean tlsEnabled(Config config) {
    return config.hasPath("gantry.node.tls.keystore") && !config.getString("gantry.node.tls.keystore").isBlank();
  }

  /**
   * Bad cluster TLS settings fail on the command line: one of keystore and truststore without the other, a file
   * that is missing or that its password does not open. The message names the setting, never the password.
   */
  static void checkTls(Config config) {
    boolean truststore = !config.getString("gantry.node.tls.truststore").isBlank();
    if (tlsEnabled(config) != truststore) {
      throw new IllegalArgumentException("cluster TLS needs both gantry.node.tls.keystore (--cluster-tls-keystore) "
          + "and gantry.node.tls.truststore (--cluster-tls-truststore), or neither");
    }
    if (truststore) {
      open(config, "keystore");
      open(config, "truststore");
    }
  }

  private static void open(Config config, String store) {
    String setting = "gantry.node.tls." + store;
    Path file = Path.of(config.getString(setting).trim());
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore.getInstance("PKCS12").load(in, config.getString(setting + "-password").toCharArray());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(setting + " " + file + ": no such file");
    } catch (IOException | GeneralSecurityException e) {
      String why = e.getCause() instanceof UnrecoverableKeyException ? setting + "-password does not open it"
          : "not a readable PKCS12 file (" + e.getMessage() + ")";
      throw new IllegalArgumentException(setting + " " + file + ": " + why);
    }
  }

  static Config derive(Config config) {
    String host = config.getString("gantry.node.host");
    int port = config.getInt("gantry.node.port");
    List<String> seeds = new ArrayList<>();
    for (String seed : config.getStringList("gantry.node.seeds")) {
      if (!seed.isBlank()) {
        seeds.add(seed.startsWith("pekko://") ? seed : "pekko://" + SYSTEM_NAME + "@" + seed.trim());
      }
    }
    if (seeds.isEmpty()) {
      // A node without seeds forms a cluster by itself.
      seeds.add("pekko://" + SYSTEM_NAME + "@" + host + ":" + port);
    }
    Map<String, Object> derived = new HashMap<>();
    derived.put("pekko.remote.artery.canonical.hostname", host);
    derived.put("pekko.remote.artery.canonical.port", port);
    derived.put("pekko.cluster.roles", config.getStringList("gantry.node.roles"));
    derived.put("pekko.cluster.seed-nodes", seeds);
    if (tlsEnabled(config)) {
      // Mutual TLS: each side checks the other's certificate against the truststore (Pekko's defaults: TLSv1.3,
      // require-mutual-authentication on, no hostname check, so any certificate of the cluster's CA is a node).
      String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
      derived.put("pekko.remote.artery.transport", "tls-tcp");
      derived.put("pekko.remote.artery.ssl.ssl-engine-provider", ClusterTlsEngineProvider.class.getName());
      derived.put(engine + "key-store", config.getString("gantry.node.tls.keystore"));
      derived.put(engine + "key-store-password", config.getString("gantry.node.tls.keystore-password"));
      derived.put(engine + "key-password", config.getString("gantry.node.tls.keystore-password"));
      derived.put(engine + "trust-store", config.getString("gantry.node.tls.truststore"));
      derived.put(engine + "trust-store-password", config.getString("gantry.node.tls.truststore-password"));
      derived.put(engine + "require-mutual-authentication", true);
    }
    return ConfigFactory.parseMap(derived).withFallback(config).resolve();
  }
}
