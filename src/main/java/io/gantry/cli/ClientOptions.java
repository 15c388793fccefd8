package io.gantry.cli;

import picocli.CommandLine.Option;

/** The options every API command takes. */
final class ClientOptions {

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:GANTRY_URL:-http://127.0.0.1:8080}",
      description = "Gantry HTTP API (env GANTRY_URL, default ${DEFAULT-VALUE})")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:GANTRY_AUTH_TOKEN}",
      description = "bearer token (env GANTRY_AUTH_TOKEN)")
  String token;

  @Option(names = "--ca-file", paramLabel = "PEM", defaultValue = "${env:GANTRY_CA_FILE}",
      description = "trust the CA certificates in this PEM file for an https:// server (env GANTRY_CA_FILE, "
          + "default: the JDK's trusted CAs)")
  String caFile;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = "--json", description = "print the raw JSON answer of the API")
  boolean json;
}
