package io.nm4j.server.internal;

import io.nm4j.spi.LogText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens the intake accepts, one per line of a file (blank lines and {@code #} comments
 * skipped), as Alertmanager sends one with {@code http_config.authorization}. The file is read
 * again when its modification time or size changes, so a token is rotated without a restart. It
 * fails closed: while the file is missing, unreadable or holds no token, every request is refused.
 * Only SHA-256 digests are kept, and every token is compared, in constant time.
 */
public final class IntakeTokens {
  private static final Logger log = LoggerFactory.getLogger(IntakeTokens.class);

  private record Loaded(@Nullable FileTime modified, long size, List<byte[]> digests) {}

  private final Path file;
  private volatile Loaded loaded = new Loaded(null, -1, List.of());
  // What was last logged about an unusable file, so a refusal is logged once, not per request.
  private volatile @Nullable String problem;

  public IntakeTokens(Path file) {
    this.file = file;
    current();
  }

  /** Whether the request's {@code Authorization} header carries one of the tokens. */
  public boolean accepts(@Nullable String authorization) {
    List<byte[]> digests = current().digests();
    if (authorization == null) {
      return false;
    }
    String value = authorization.strip();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = sha256(value.substring(7).strip());
    boolean found = false;
    for (byte[] d : digests) {
      found |= MessageDigest.isEqual(d, presented);
    }
    return found;
  }

  private Loaded current() {
    Loaded l = loaded;
    FileTime modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(file);
      size = Files.size(file);
    } catch (IOException e) {
      return refuseAll("cannot be read: " + e);
    }
    if (modified.equals(l.modified()) && size == l.size()) {
      return l;
    }
    synchronized (this) {
      try {
        List<byte[]> digests = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String token = line.strip();
          if (!token.isEmpty() && !token.startsWith("#")) {
            digests.add(sha256(token));
          }
        }
        if (digests.isEmpty()) {
          refuseAll("holds no token");
        } else {
          problem = null;
          log.info("intake token file {} read: {} tokens", esc(), digests.size());
        }
        Loaded next = new Loaded(modified, size, List.copyOf(digests));
        loaded = next;
        return next;
      } catch (IOException | RuntimeException e) {
        return refuseAll("cannot be read: " + e);
      }
    }
  }

  private Loaded refuseAll(String why) {
    if (!why.equals(problem)) {
      problem = why;
      log.warn("intake token file {} {}: intake refuses every request", esc(), LogText.escape(why));
    }
    Loaded none = new Loaded(null, -1, List.of());
    loaded = none;
    return none;
  }

  private String esc() {
    return LogText.escape(file.toString());
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
