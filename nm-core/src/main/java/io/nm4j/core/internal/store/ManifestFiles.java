package io.nm4j.core.internal.store;

import io.nm4j.core.Manifests;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LogText;
import io.nm4j.spi.ObjectRef;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the directory store: one object per file named after its kind and name, written so
 * that it reads back identically and is never torn, readable only by the owner where the file
 * system has POSIX permissions.
 */
public final class ManifestFiles {
  private static final Logger log = LoggerFactory.getLogger(ManifestFiles.class);

  /** Longest file name the store writes; longer names are cut and get a hash suffix. */
  public static final int MAX_FILE_NAME = 200;

  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> DIRECTORY_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private ManifestFiles() {}

  /**
   * {@code kind.name.yaml}; a name that would make the file name longer than {@value
   * #MAX_FILE_NAME} characters is cut and given a hash of the whole name, so every name up to 253
   * characters has its own file.
   */
  public static String fileName(ObjectRef ref) {
    if (!ref.name().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || ref.name().length() > 253) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.INVALID,
          ref.kind() + ": metadata.name: must be a DNS-1123 subdomain to be stored as a file");
    }
    String kind = ref.kind().toLowerCase(Locale.ROOT);
    String plain = kind + "." + ref.name() + ".yaml";
    if (plain.length() <= MAX_FILE_NAME) {
      return plain;
    }
    String hash = sha256(ref.name()).substring(0, 16);
    int keep = MAX_FILE_NAME - kind.length() - hash.length() - ".-.yaml".length();
    return kind + "." + ref.name().substring(0, keep) + "-" + hash + ".yaml";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Writes what reads back identically, and returns the object as read back: the YAML is parsed
   * again with the reader's limits and compared first, so no stored object can become unreadable.
   * Then a temporary file, flushed, renamed over the target, directory flushed: old or new, never
   * torn.
   */
  public static ConfigObject write(Path file, String origin, ConfigObject object) {
    byte[] bytes = Manifests.toYaml(object).getBytes(StandardCharsets.UTF_8);
    ConfigSet back = Manifests.parse(bytes, origin);
    if (!back.problems().isEmpty()) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.INVALID,
          object.ref() + ": cannot be stored: " + back.problems().get(0).message());
    }
    String difference = back.objects().size() == 1 ? difference(object, back.objects().get(0)) : "";
    if (difference != null) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.INVALID,
          object.ref()
              + ": "
              + (difference.isEmpty() ? "" : difference + ": ")
              + "cannot be stored as given (it would not read back the same)");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + UUID.randomUUID() + ".tmp");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir, posix(dir) ? new FileAttribute<?>[] {DIRECTORY_MODE} : new FileAttribute<?>[0]);
      }
      try (FileChannel ch =
          posix(dir)
              ? FileChannel.open(
                  tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)
              : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically", e);
      }
      syncDirectory(dir);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the hidden temporary file is skipped by readers; nothing depends on removing it
      }
      throw new ConfigStoreException(
          ConfigStoreException.Reason.UNAVAILABLE,
          object.ref() + ": cannot write " + origin + ": " + reason(e));
    }
    return back.objects().get(0);
  }

  private static boolean posix(Path dir) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Where a stored object and what reads back differ: a field path, {@code ""} when only the whole
   * differs, {@code null} when they are the same.
   */
  private static @Nullable String difference(ConfigObject wrote, ConfigObject read) {
    if (!wrote.apiVersion().equals(read.apiVersion())
        || !wrote.kind().equals(read.kind())
        || !wrote.metadata().equals(read.metadata())) {
      return "metadata";
    }
    return difference(wrote.body(), read.body(), "");
  }

  private static @Nullable String difference(@Nullable Object a, @Nullable Object b, String path) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) {
        return path;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        String key = LogText.escape(String.valueOf(e.getKey()), 100);
        String d =
            difference(e.getValue(), mb.get(e.getKey()), path.isEmpty() ? key : path + "." + key);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return path;
      }
      for (int i = 0; i < la.size(); i++) {
        String d = difference(la.get(i), lb.get(i), path + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a instanceof Number na && b instanceof Number nb) {
      return sameNumber(na, nb) ? null : path;
    }
    return Objects.equals(a, b) ? null : path;
  }

  private static boolean sameNumber(Number a, Number b) {
    try {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
    } catch (NumberFormatException e) {
      return a.toString().equals(b.toString()); // NaN and infinities
    }
  }

  /** Flushes the rename itself; some platforms cannot open a directory, which is then skipped. */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("cannot flush directory {}", dir, e);
    }
  }

  /** An I/O failure as messages show it: its type and the file system's reason, no path. */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return e.getClass().getSimpleName() + " (" + f.getReason() + ")";
    }
    return e.getClass().getSimpleName();
  }
}
