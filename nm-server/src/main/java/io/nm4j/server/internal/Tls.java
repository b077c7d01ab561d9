package io.nm4j.server.internal;

import io.nm4j.spi.LogText;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the server's listeners from PEM files: the certificate chain and key, and optionally the
 * CA whose client certificates are required (mutual TLS). The files are read again when their
 * content changes (cert-manager rotates them in place), and every listener's context is reloaded
 * without a restart; new files that do not load (half-written) keep the previous certificate until
 * they do.
 */
public final class Tls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Tls.class);

  /**
   * The PEM files.
   *
   * @param certificate the certificate chain, leaf first
   * @param key the private key (PKCS#8, PKCS#1 or SEC1)
   * @param clientCa when given, clients must present a certificate it signed
   */
  public record Files(Path certificate, Path key, @Nullable Path clientCa) {
    public Files {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
    }
  }

  private final Files files;
  private final List<SslContextFactory.Server> contexts = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService watcher;
  private volatile byte[] fingerprint;
  private volatile Loaded loaded;

  private record Loaded(KeyStore keys, char[] password, @Nullable KeyStore trust) {}

  /**
   * Loads the files now.
   *
   * @throws IllegalArgumentException naming the file when one cannot be read or parsed
   */
  public Tls(Files files, Duration reloadInterval) {
    this.files = files;
    this.fingerprint = fingerprint();
    this.loaded = load();
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nm4j-tls-watch");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(1, reloadInterval.toMillis());
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** A new context for one listener, kept up to date with the files. */
  public SslContextFactory.Server newContext() {
    SslContextFactory.Server context = new SslContextFactory.Server();
    apply(context, loaded);
    contexts.add(context);
    return context;
  }

  private void apply(SslContextFactory.Server context, Loaded l) {
    context.setKeyStore(l.keys());
    context.setKeyStorePassword(new String(l.password()));
    context.setKeyManagerPassword(new String(l.password()));
    if (l.trust() != null) {
      context.setTrustStore(l.trust());
      context.setNeedClientAuth(true);
    }
  }

  private void reloadIfChanged() {
    byte[] now;
    try {
      now = fingerprint();
    } catch (IllegalArgumentException e) {
      log.warn("TLS files not reloaded: {}", LogText.escape(e.getMessage()));
      return;
    }
    if (Arrays.equals(now, fingerprint)) {
      return;
    }
    Loaded next;
    try {
      next = load();
    } catch (IllegalArgumentException e) {
      // cert-manager may be between writing the certificate and the key: try again next time
      log.warn("TLS files changed but do not load yet: {}", LogText.escape(e.getMessage()));
      return;
    }
    for (SslContextFactory.Server context : contexts) {
      try {
        context.reload(c -> apply((SslContextFactory.Server) c, next));
      } catch (Exception e) {
        log.warn("TLS context not reloaded: {}", LogText.escape(e.toString()));
        return;
      }
    }
    loaded = next;
    fingerprint = now;
    log.info("TLS certificate reloaded from {}", LogText.escape(files.certificate().toString()));
  }

  private Loaded load() {
    char[] password = new char[24];
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < password.length; i++) {
      password[i] = (char) ('a' + random.nextInt(26));
    }
    try {
      KeyStore keys = PemFiles.keyStore(files.certificate(), files.key(), password);
      KeyStore trust = files.clientCa() == null ? null : PemFiles.trustStore(files.clientCa());
      return new Loaded(keys, password, trust);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load TLS files: " + e.getMessage(), e);
    }
  }

  private byte[] fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path p : new Path[] {files.certificate(), files.key(), files.clientCa()}) {
        if (p != null) {
          digest.update(java.nio.file.Files.readAllBytes(p));
          digest.update((byte) 0);
        }
      }
      return digest.digest();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TLS files: " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
