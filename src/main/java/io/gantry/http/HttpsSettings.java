package io.gantry.http;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The {@code gantry.http.tls} block: a PKCS12 keystore with the API's private key and certificate chain. Set, the
 * node serves HTTPS only on {@code gantry.http.port}. Problems come out naming the setting, never the password.
 */
record HttpsSettings(Path keystore, String password) {

  static final String KEYSTORE = "gantry.http.tls.keystore";
  static final String PASSWORD = "gantry.http.tls.keystore-password";

  /** Empty when no keystore is configured (plain HTTP). */
  static Optional<HttpsSettings> fromConfig(Config config) {
    if (!config.hasPath(KEYSTORE) || config.getString(KEYSTORE).isBlank()) {
      return Optional.empty();
    }
    String password = config.hasPath(PASSWORD) ? config.getString(PASSWORD) : "";
    return Optional.of(new HttpsSettings(Path.of(config.getString(KEYSTORE).trim()), password));
  }

  /** The server's TLS context; IllegalArgumentException when the keystore cannot be read or holds no key. */
  SSLContext sslContext() {
    KeyStore store = load();
    try {
      boolean hasKey = false;
      for (String alias : Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new IllegalArgumentException(KEYSTORE + " " + keystore + " holds no private key (a PKCS12 file with "
            + "the server's key and certificate chain, e.g. from openssl pkcs12 -export)");
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (UnrecoverableKeyException e) {
      throw new IllegalArgumentException(PASSWORD + " does not unlock the key in " + keystore, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(KEYSTORE + " " + keystore + ": " + e.getMessage(), e);
    }
  }

  private KeyStore load() {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(KEYSTORE + " " + keystore + ": no such file", e);
    } catch (IOException e) {
      // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException.
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalArgumentException(PASSWORD + " does not open " + keystore, e);
      }
      throw new IllegalArgumentException(KEYSTORE + " " + keystore + " is not a readable PKCS12 keystore: "
          + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(KEYSTORE + " " + keystore + ": " + e.getMessage(), e);
    }
  }
}
