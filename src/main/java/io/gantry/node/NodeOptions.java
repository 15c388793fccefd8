package io.gantry.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.gantry.http.HttpApi;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns command-line options and GANTRY_* environment variables into the node's Config.
 * Precedence: option, then environment variable, then --config file, then conf/application.conf, then reference.conf.
 */
public record NodeOptions(Config config) {

  static NodeOptions from(NodeCommand c) {
    return from(c, System::getenv, gantryHome());
  }

  static NodeOptions from(NodeCommand c, Function<String, String> env, Path home) {
    Map<String, Object> o = new HashMap<>();
    put(o, "gantry.node.roles", c.roles, env.apply("GANTRY_ROLES"), NodeOptions::csv);
    put(o, "gantry.node.host", c.host, env.apply("GANTRY_HOST"), s -> s);
    put(o, "gantry.node.port", c.port, env.apply("GANTRY_PORT"), Integer::parseInt);
    put(o, "gantry.http.port", c.httpPort, env.apply("GANTRY_HTTP_PORT"), Integer::parseInt);
    put(o, "gantry.http.host", c.httpHost, env.apply("GANTRY_HTTP_HOST"), s -> s);
    put(o, "gantry.node.seeds", c.seeds, env.apply("GANTRY_SEEDS"), NodeOptions::csv);
    put(o, "gantry.redis.url", c.redis, env.apply("GANTRY_REDIS_URL"), s -> s);
    put(o, "gantry.worker.capabilities", c.capabilities, env.apply("GANTRY_CAPABILITIES"), NodeOptions::csv);
    put(o, "gantry.worker.max-concurrency", c.maxConcurrency, env.apply("GANTRY_MAX_CONCURRENCY"), Integer::parseInt);
    put(o, "gantry.worker.id", c.workerId, env.apply("GANTRY_WORKER_ID"), s -> s);
    put(o, "gantry.worker.pool", c.pool, env.apply("GANTRY_POOL"), s -> s);
    put(o, "gantry.redis.ca-file", c.redisCaFile, env.apply("GANTRY_REDIS_CA_FILE"), s -> s);
    put(o, "gantry.redis.password", null, env.apply("GANTRY_REDIS_PASSWORD"), s -> s);
    put(o, "gantry.http.tls.keystore", c.httpTlsKeystore, env.apply("GANTRY_HTTP_TLS_KEYSTORE"), s -> s);
    put(o, "gantry.http.tls.keystore-password", null, env.apply("GANTRY_HTTP_TLS_KEYSTORE_PASSWORD"), s -> s);
    put(o, "gantry.node.tls.keystore", c.clusterTlsKeystore, env.apply("GANTRY_NODE_TLS_KEYSTORE"), s -> s);
    put(o, "gantry.node.tls.keystore-password", null, env.apply("GANTRY_NODE_TLS_KEYSTORE_PASSWORD"), s -> s);
    put(o, "gantry.node.tls.truststore", c.clusterTlsTruststore, env.apply("GANTRY_NODE_TLS_TRUSTSTORE"), s -> s);
    put(o, "gantry.node.tls.truststore-password", null, env.apply("GANTRY_NODE_TLS_TRUSTSTORE_PASSWORD"),
        s -> s);
    String configFile = c.configFile != null ? c.configFile : env.apply("GANTRY_CONFIG");

    Config layered = ConfigFactory.parseMap(o);
    if (configFile != null) {
      File f = new File(configFile);
      if (!f.isFile()) {
        throw new IllegalArgumentException("--config " + configFile + ": no such file");
      }
      layered = layered.withFallback(ConfigFactory.parseFile(f));
    }
    Path app = home.resolve("conf/application.conf");
    if (Files.isRegularFile(app)) {
      layered = layered.withFallback(ConfigFactory.parseFile(app.toFile()));
    }
    Config config = ConfigFactory.load(layered);
    validate(config);
    return new NodeOptions(ClusterConfig.derive(config));
  }

  /** Bad options fail here, on the command line (exit 2), not later inside the running node. */
  static void validate(Config config) {
    for (String role : config.getStringList("gantry.node.roles")) {
      if (!List.of("orchestrator", "worker", "api").contains(role)) {
        throw new IllegalArgumentException("--roles: unknown role '" + role + "' (expected orchestrator, worker, api)");
      }
    }
    for (String capability : config.getStringList("gantry.worker.capabilities")) {
      if (io.gantry.dag.Capability.fromWire(capability).isEmpty()) {
        throw new IllegalArgumentException("--capabilities: unknown capability '" + capability
            + "' (expected cpu, gpu, high-memory, ssd, network)");
      }
    }
    if (config.getInt("gantry.worker.max-concurrency") < 0) {
      throw new IllegalArgumentException("--max-concurrency must be at least 1");
    }
    ClusterConfig.checkTls(config);
    if (config.getStringList("gantry.node.roles").contains("api")) {
      HttpApi.checkTls(config);
      HttpApi.refusal(config).ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
    }
  }

  static Path gantryHome() {
    String home = System.getProperty("gantry.home", System.getenv("GANTRY_HOME"));
    return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
  }

  private static <T> void put(Map<String, Object> target, String path, T option, String envValue,
      Function<String, Object> parseEnv) {
    Object value = option;
    if (value == null && envValue != null && !envValue.isBlank()) {
      try {
        value = parseEnv.apply(envValue.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + ": '" + envValue + "' is not a number");
      }
    }
    if (value != null) {
      target.put(path, value instanceof List<?> l ? ConfigValueFactory.fromIterable(l).unwrapped() : value);
    }
  }

  private static List<String> csv(String s) {
    return List.of(s.split("\\s*,\\s*"));
  }
}
