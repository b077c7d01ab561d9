package io.nm4j.core.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * when its modification time or size changes, and at least every {@value #RECHECK_MILLIS} ms while
 * requests come (a rewrite within the file system's time resolution keeps both), so tokens are
 * added and revoked without a restart and a change is in effect within two seconds.
 *
 * <p>It fails closed: a file that is deleted, cannot be read, has a malformed line or no valid line
 * revokes every token until it is fixed (logged at ERROR with the line number, never a token).
 * Tokens are compared in constant time, and only their SHA-256 digests are kept.
 */
public final class TokenFileAuthenticator implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(TokenFileAuthenticator.class);

  /** How often the file is read again, at most. */
  static final long RECHECK_MILLIS = 1000;

  private record Entry(byte[] digest, Caller caller) {}

  /**
   * What the file said when last read.
   *
   * @param content the SHA-256 of the bytes read; empty when the file could not be read
   * @param entries the tokens; empty when revoked
   * @param problem why every token is revoked, or {@code null}
   */
  private record Loaded(
      byte[] content, List<Entry> entries, @Nullable String problem, @Nullable Stamp stamp) {}

  /** The file's modification time and size as last seen; {@code null} when it was not there. */
  private record Stamp(FileTime modified, long size) {
    static @Nullable Stamp of(Path file) {
      try {
        return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
      } catch (IOException e) {
        return null;
      }
    }
  }

  private final Path file;
  private volatile Loaded loaded;
  private volatile long checkedAt;

  private TokenFileAuthenticator(Path file, Loaded first) {
    this.file = file;
    this.loaded = first;
    this.checkedAt = System.nanoTime();
  }

  /**
   * Reads {@code file} now (a malformed line fails here, naming the line) and again on change.
   *
   * @throws IllegalArgumentException when a line is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static TokenFileAuthenticator of(Path file) {
    Objects.requireNonNull(file, "file");
    Stamp stamp = Stamp.of(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read token file " + file, e);
    }
    Loaded first = parse(bytes, stamp);
    if (first.problem() != null && !first.problem().startsWith("no valid line")) {
      throw new IllegalArgumentException(file + ": " + first.problem());
    }
    if (first.problem() != null) {
      log.error("token file {}: {}; no token is accepted", file, first.problem());
    }
    return new TokenFileAuthenticator(file, first);
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
    byte[] presented = sha256(value.substring(7).strip().getBytes(StandardCharsets.UTF_8));
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

  /** The tokens in effect now: the file is read again when the last read is a second old. */
  private Loaded current() {
    long now = System.nanoTime();
    Stamp stamp = Stamp.of(file);
    if (now - checkedAt < Duration.ofMillis(RECHECK_MILLIS).toNanos()
        && Objects.equals(stamp, loaded.stamp())) {
      return loaded;
    }
    synchronized (this) {
      Loaded previous = loaded;
      Loaded next = reread(stamp);
      checkedAt = System.nanoTime();
      if (!Arrays.equals(next.content(), previous.content())
          || !Objects.equals(next.problem(), previous.problem())) {
        loaded = next;
        if (next.problem() != null) {
          log.error(
              "token file {}: {}; every token is revoked until it is fixed", file, next.problem());
        } else {
          log.info("token file {} reloaded: {} tokens", file, next.entries().size());
        }
      } else {
        loaded = next; // the same tokens; remember the new stamp
      }
      return loaded;
    }
  }

  private Loaded reread(@Nullable Stamp stamp) {
    try {
      return parse(Files.readAllBytes(file), stamp);
    } catch (NoSuchFileException e) {
      return new Loaded(new byte[0], List.of(), "the file is gone", null);
    } catch (IOException | RuntimeException e) {
      return new Loaded(
          new byte[0], List.of(), "cannot be read (" + e.getClass().getSimpleName() + ")", stamp);
    }
  }

  /** The file's tokens, or every token revoked with the reason; never the text of a line. */
  private static Loaded parse(byte[] bytes, @Nullable Stamp stamp) {
    byte[] content = sha256(bytes);
    List<Entry> entries = new ArrayList<>();
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",", -1);
      if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
        return new Loaded(
            content,
            List.of(),
            "line " + (i + 1) + ": malformed, expected token,user[,group1|group2]",
            stamp);
      }
      Set<String> groups = new LinkedHashSet<>();
      if (parts.length > 2) {
        for (String g : parts[2].split("\\|")) {
          if (!g.isBlank()) {
            groups.add(g.strip());
          }
        }
      }
      entries.add(
          new Entry(
              sha256(parts[0].strip().getBytes(StandardCharsets.UTF_8)),
              new Caller(parts[1].strip(), groups)));
    }
    if (entries.isEmpty()) {
      return new Loaded(content, List.of(), "no valid line", stamp);
    }
    return new Loaded(content, List.copyOf(entries), null, stamp);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TokenFileAuthenticator[" + file + "]";
  }
}
