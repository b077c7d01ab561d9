package io.nm4j.core.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from a file of lines {@code token,user,group1|group2} (blank lines and {@code #}
 * comments skipped), like the Kubernetes API server's static token file. The file is read again
 * when its modification time or size changes, so tokens are added and revoked without a restart.
 * Tokens are compared in constant time, and only their SHA-256 digests are kept.
 */
public final class TokenFileAuthenticator implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(TokenFileAuthenticator.class);

  private record Entry(byte[] digest, Caller caller) {}

  private record Loaded(@Nullable FileTime modified, long size, List<Entry> entries) {}

  private final Path file;
  private volatile Loaded loaded;

  private TokenFileAuthenticator(Path file) {
    this.file = file;
    this.loaded = read(file);
  }

  /**
   * Reads {@code file} now (a malformed line fails here, naming the line) and again on change.
   *
   * @throws IllegalArgumentException when a line is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static TokenFileAuthenticator of(Path file) {
    return new TokenFileAuthenticator(Objects.requireNonNull(file, "file"));
  }

  @Override
  public @Nullable Caller authenticate(Function<String, List<String>> header) {
    List<String> values = header.apply("Authorization");
    if (values.isEmpty()) {
      return null;
    }
    String value = values.get(0).strip();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] presented = sha256(value.substring(7).strip());
    Caller found = null;
    // Every entry is compared, so the time taken does not tell which one (or whether one) matched.
    for (Entry e : current().entries()) {
      if (MessageDigest.isEqual(e.digest(), presented) && found == null) {
        found = e.caller();
      }
    }
    if (found == null) {
      throw new Status(401, "Unauthorized", "invalid bearer token", "", "", List.of()).exception();
    }
    return found;
  }

  private Loaded current() {
    Loaded l = loaded;
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (!modified.equals(l.modified()) || size != l.size()) {
        synchronized (this) {
          l = read(file);
          loaded = l;
          log.info("token file {} reloaded: {} tokens", file, l.entries().size());
        }
      }
    } catch (IOException | RuntimeException e) {
      // A half-written or vanished file keeps the last good tokens; the problem is logged.
      log.warn(
          "token file {} not reloaded, keeping {} tokens: {}",
          file,
          l.entries().size(),
          e.getMessage());
    }
    return l;
  }

  private static Loaded read(Path file) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      List<Entry> entries = new ArrayList<>();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(",", -1);
        if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
          throw new IllegalArgumentException(
              file + ": line " + (i + 1) + ": expected token,user[,group1|group2]");
        }
        Set<String> groups = new LinkedHashSet<>();
        if (parts.length > 2) {
          for (String g : parts[2].split("\\|")) {
            if (!g.isBlank()) {
              groups.add(g.strip());
            }
          }
        }
        entries.add(new Entry(sha256(parts[0].strip()), new Caller(parts[1].strip(), groups)));
      }
      return new Loaded(modified, size, List.copyOf(entries));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read token file " + file, e);
    }
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TokenFileAuthenticator[" + file + "]";
  }
}
