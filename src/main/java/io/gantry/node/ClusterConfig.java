package io.gantry.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Derives Pekko's cluster settings (artery address, roles, seed nodes) from the gantry.node block. */
final class ClusterConfig {
  static final String SYSTEM_NAME = "gantry";

  private ClusterConfig() {}

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
    return ConfigFactory.parseMap(derived).withFallback(config).resolve();
  }
}
