package io.gantry.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority of a test's own, made with Debian's {@code openssl} and the JDK's {@code keytool} (as
 * OPERATIONS.md "TLS" tells an operator to): its PEM certificate, certificates it signs for 127.0.0.1/localhost
 * as PEM key + certificate and as a PKCS12 keystore, and a PKCS12 truststore holding the CA.
 */
final class TestCertificates {
  static final String PASSWORD = "test-store-pass";

  final Path dir;
  final String name;
  final Path caCert;
  final Path caKey;

  private TestCertificates(Path dir, String name) {
    this.dir = dir;
    this.name = name;
    this.caCert = dir.resolve(name + "-ca.pem");
    this.caKey = dir.resolve(name + "-ca.key");
  }

  /** A new CA named {@code name} in {@code dir}. */
  static TestCertificates authority(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    TestCertificates ca = new TestCertificates(dir, name);
    run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", ca.caKey.toString(), "-out", ca.caCert.toString(), "-days", "2", "-subj", "/CN=" + name + " CA");
    return ca;
  }

  /** A certificate for 127.0.0.1 and localhost, signed by this CA. */
  Leaf issue(String leafName) throws Exception {
    Path key = dir.resolve(leafName + ".key");
    Path csr = dir.resolve(leafName + ".csr");
    Path cert = dir.resolve(leafName + ".pem");
    Path ext = dir.resolve(leafName + ".ext");
    Path p12 = dir.resolve(leafName + ".p12");
    Files.writeString(ext, "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
        + "extendedKeyUsage = serverAuth, clientAuth\n");
    run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + leafName);
    run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    run(dir, "openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(),
        "-certfile", caCert.toString(), "-name", leafName, "-out", p12.toString(), "-passout", "pass:" + PASSWORD);
    return new Leaf(key, cert, p12);
  }

  /** A PKCS12 truststore with this CA's certificate (keytool -importcert). */
  Path truststore() throws Exception {
    Path store = dir.resolve(name + "-truststore.p12");
    if (!Files.exists(store)) {
      run(dir, "keytool", "-importcert", "-noprompt", "-alias", name + "-ca", "-file", caCert.toString(),
          "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }
    return store;
  }

  /** An HTTP client that trusts this CA only. */
  HttpClient httpClient() throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(truststore())) {
      trusted.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A signed certificate: PEM key and certificate (for redis-server), and both in a PKCS12 keystore. */
  record Leaf(Path key, Path cert, Path keystore) {}

  private static void run(Path dir, String... command) throws Exception {
    Path log = dir.resolve("commands.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
          + Files.readString(log));
    }
  }

  static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
