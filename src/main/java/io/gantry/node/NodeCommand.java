package io.gantry.node;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry node}: starts one cluster node in the foreground (API.md §1). */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Start one Gantry cluster node in the foreground.")
public final class NodeCommand implements Callable<Integer> {

  @Option(names = "--config", description = "HOCON file layered over conf/application.conf")
  String configFile;

  @Option(names = "--roles", split = ",", description = "orchestrator,worker,api (default: all)")
  java.util.List<String> roles;

  @Option(names = "--host", description = "cluster host (default 127.0.0.1)")
  String host;

  @Option(names = "--port", description = "cluster port (default 2551)")
  Integer port;

  @Option(names = "--http-port", description = "HTTP port (default 8080)")
  Integer httpPort;

  @Option(names = "--http-host", description = "HTTP address (default: loopback without a token, all interfaces "
      + "with one)")
  String httpHost;

  @Option(names = "--seeds", split = ",", description = "host:port,... of seed nodes (none: form a cluster alone)")
  java.util.List<String> seeds;

  @Option(names = "--redis", description = "redis://[:password@]host:port/db, rediss://... for TLS")
  String redis;

  @Option(names = "--redis-ca-file", description = "PEM file of the CA that signed a rediss:// Redis's "
      + "certificate (its password: GANTRY_REDIS_PASSWORD or in the URL)")
  String redisCaFile;

  @Option(names = "--http-tls-keystore", description = "PKCS12 keystore: serve the API over HTTPS only (password: "
      + "GANTRY_HTTP_TLS_KEYSTORE_PASSWORD)")
  String httpTlsKeystore;

  @Option(names = "--cluster-tls-keystore", description = "PKCS12 keystore of this node: TLS between nodes (password: "
      + "GANTRY_NODE_TLS_KEYSTORE_PASSWORD)")
  String clusterTlsKeystore;

  @Option(names = "--cluster-tls-truststore", description = "PKCS12 truststore with the cluster's CA (password: "
      + "GANTRY_NODE_TLS_TRUSTSTORE_PASSWORD)")
  String clusterTlsTruststore;

  @Option(names = "--capabilities", split = ",", description = "cpu,gpu,high-memory,ssd,network")
  java.util.List<String> capabilities;

  @Option(names = "--max-concurrency", description = "job slots of this node's worker")
  Integer maxConcurrency;

  @Option(names = "--worker-id", description = "id of this node's worker (default host:port)")
  String workerId;

  @Option(names = "--pool", description = "worker pool this node's worker joins (default 'default')")
  String pool;

  @Override
  public Integer call() throws Exception {
    return GantryNode.run(NodeOptions.from(this));
  }
}
