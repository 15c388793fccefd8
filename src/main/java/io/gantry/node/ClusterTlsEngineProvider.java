package io.gantry.node;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pekko's keystore-based TLS engine for the cluster transport, which also says in one line why a peer was refused:
 * Pekko itself only logs a failed stream, whose cause is buried in a handshake stack trace. Configured by
 * {@link ClusterConfig} when {@code gantry.node.tls} is set.
 */
public final class ClusterTlsEngineProvider extends ConfigSSLEngineProvider {
  private static final Logger log = LoggerFactory.getLogger(ClusterTlsEngineProvider.class);
  /** A refused peer retries its connection every few seconds: its refusal is logged once a minute. */
  private static final long REPEAT_AFTER_MS = 60_000;
  private static final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

  public ClusterTlsEngineProvider(ActorSystem system) {
    super(system);
  }

  @Override
  public TrustManager[] trustManagers() {
    TrustManager[] managers = super.trustManagers();
    TrustManager[] wrapped = new TrustManager[managers.length];
    for (int i = 0; i < managers.length; i++) {
      wrapped[i] = managers[i] instanceof X509ExtendedTrustManager x ? new Logging(x) : managers[i];
    }
    return wrapped;
  }

  private static void refused(String side, X509Certificate[] chain, String peer, CertificateException e) {
    String subject = chain == null || chain.length == 0 ? "no certificate" : chain[0].getSubjectX500Principal().getName();
    String issuer = chain == null || chain.length == 0 ? "-" : chain[0].getIssuerX500Principal().getName();
    String key = side + "|" + peer + "|" + subject;
    long now = System.currentTimeMillis();
    Long last = lastLogged.get(key);
    if (last == null || now - last > REPEAT_AFTER_MS) {
      lastLogged.put(key, now);
      log.error("cluster TLS: refused the {}{} (subject '{}', issuer '{}'): not signed by a CA in "
          + "gantry.node.tls.truststore, so it cannot join this cluster ({})", side, peer, subject, issuer,
          e.getMessage());
    }
  }

  /** Delegates every check; a refusal is logged, then thrown on as before. */
  private static final class Logging extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager trust;

    Logging(X509ExtendedTrustManager trust) {
      this.trust = trust;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        trust.checkClientTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        // The engine of an inbound connection knows no peer address; the certificate names the node.
        refused("connecting node", chain, "", e);
        throw e;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        trust.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        refused("node at", chain, " " + peer(engine), e);
        throw e;
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      trust.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      trust.checkServerTrusted(chain, authType);
    }

    /**
     * Advertises no CA names in the server's certificate request: a connecting node then sends its certificate
     * whatever CA signed it (the JDK's key manager would otherwise send none), so that a certificate of another CA
     * reaches the check above and its refusal is logged. Trust is decided by the check, not by this list.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }

    private static String peer(SSLEngine engine) {
      return engine == null || engine.getPeerHost() == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort();
    }
  }
}
