package io.nm4j.core;

import io.nm4j.core.internal.StoreSupport;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.LogText;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of manifests ({@code *.yaml}, {@code *.yml}, {@code *.json}, in subdirectories too;
 * hidden files and directories are skipped). Watching reloads after changes, debounced so an
 * editor's burst of writes is one reload, and again every resync interval in case a change was
 * missed. A file that breaks keeps its last good content in effect, and the problem is reported, so
 * a half-saved edit never drops receivers.
 *
 * <p>The watch cannot die: files vanishing while the directory is read (the store's own temporary
 * files do), unreadable files or directories, or the directory being replaced are logged and
 * counted in {@link #health()}, the last good view stays in effect, and the next change or resync
 * tries again.
 *
 * <p>As a {@link ConfigStore} it keeps one object per file ({@code kind.name.yaml}, e.g. {@code
 * emailreceiver.alice.yaml}; a name too long for a file name is cut and given a hash suffix), with
 * uid, creationTimestamp and resourceVersion in the file. Writes are atomic: a hidden temporary
 * file is written and flushed to disk, then renamed over the target, so a crash leaves the old file
 * or the new one, never a torn one. Only what reads back identically is written, so a stored object
 * can always be read, updated and deleted. Files are written {@code 0600} and a directory the store
 * creates {@code 0700} where the file system has POSIX permissions. Reads through the store are
 * served from the view the last load, the store's own writes and the watcher keep current; they
 * never read the directory again. An object a person wrote into a file together with others can be
 * read, but not updated or deleted through the store: that file is theirs to edit.
 */
public final class FileConfigSource implements ConfigStore {
  private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);

  /** Longest file name the store writes; longer names are cut and get a hash suffix. */
  static final int MAX_FILE_NAME = 200;

  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> DIRECTORY_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path directory;
  private final Duration debounce;
  private final Duration resync;
  private final Clock clock = Clock.systemUTC();
  private final List<Consumer<ConfigSet>> watchers = new CopyOnWriteArrayList<>();
  private final Object publishing = new Object();

  /** The objects and problems of each file read, by path; the view every read is served from. */
  private final Map<Path, FileView> files = new TreeMap<>();

  private final Map<ObjectRef, Path> fileOf = new HashMap<>();
  private boolean loaded;
  private List<Problem> directoryProblems = List.of();
  private @Nullable ConfigSet published;
  private long version;

  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable WatchService watchService;
  private @Nullable ScheduledFuture<?> pending;

  private @Nullable Instant lastSuccess;
  private long failures;
  private @Nullable String lastFailure;

  /**
   * What one file holds.
   *
   * @param objects its objects: the last good ones when it is broken now
   * @param problems what is wrong with it now
   */
  private record FileView(List<ConfigObject> objects, List<Problem> problems) {}

  private FileConfigSource(Path directory, Duration debounce, Duration resync) {
    this.directory = directory;
    this.debounce = debounce;
    this.resync = resync;
  }

  /** A source reading {@code directory}, reloading 250 ms after the last change. */
  public static FileConfigSource of(Path directory) {
    return of(directory, Duration.ofMillis(250));
  }

  /** A source reading {@code directory}, reloading {@code debounce} after the last change. */
  public static FileConfigSource of(Path directory, Duration debounce) {
    return of(directory, debounce, Duration.ofSeconds(60));
  }

  /**
   * A source reading {@code directory}, reloading {@code debounce} after the last change and every
   * {@code resync} while watched, whether or not a change was seen.
   */
  public static FileConfigSource of(Path directory, Duration debounce, Duration resync) {
    Objects.requireNonNull(directory, "directory");
    if (debounce.isNegative()) {
      throw new IllegalArgumentException("debounce must not be negative");
    }
    if (resync.isNegative() || resync.isZero()) {
      throw new IllegalArgumentException("resync must be positive");
    }
    return new FileConfigSource(directory, debounce, resync);
  }

  public Path directory() {
    return directory;
  }

  /**
   * Everything the directory holds. While watched, this is the view the watcher and the store's own
   * writes keep current; otherwise the directory is read now.
   */
  @Override
  public synchronized ConfigSet load() {
    if (scheduler == null || !loaded) {
      readDirectory();
    }
    return view();
  }

  @Override
  public synchronized Health health() {
    return new Health(lastSuccess, failures, lastFailure);
  }

  /** Reads the whole directory into {@link #files}; never throws. */
  private void readDirectory() {
    try {
      walk();
    } catch (RuntimeException e) {
      // A bug, or something the file system threw that nobody expected: keep the last view.
      failed("reading " + directory + " failed: " + e.getClass().getName(), e);
    }
    loaded = true;
  }

  private void walk() {
    if (!Files.isDirectory(directory)) {
      directoryProblems =
          List.of(
              new Problem(
                  relative(directory), "", "not a readable directory", Problem.Severity.ERROR));
      if (!files.isEmpty()) {
        directoryProblems =
            List.of(
                new Problem(
                    relative(directory),
                    "",
                    "not a readable directory now; keeping the last good view",
                    Problem.Severity.ERROR));
      }
      failed("directory " + directory + " cannot be read", null);
      return;
    }
    Map<Path, Boolean> seen = new LinkedHashMap<>(); // file -> readable
    List<String> unreadable = new ArrayList<>();
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(directory) && isHidden(dir)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (isManifest(file) && Files.isRegularFile(file)) {
                seen.put(file, true);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (!(e instanceof NoSuchFileException)) {
                // It was there a moment ago: keep what it held, and say it cannot be read now.
                unreadable.add(relative(file) + ": " + reason(e));
                if (isManifest(file)) {
                  seen.put(file, false);
                }
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      failed("cannot list " + directory + ": " + reason(e), null);
      return;
    }
    Map<Path, FileView> next = new TreeMap<>();
    for (Map.Entry<Path, Boolean> e : seen.entrySet()) {
      Path file = e.getKey();
      FileView previous = files.get(file);
      FileView read = e.getValue() ? read(file, previous, unreadable) : null;
      if (read != null) {
        next.put(file, read);
      } else if (previous != null && !e.getValue()) {
        next.put(file, keep(previous, "cannot be read now"));
      }
    }
    files.clear();
    files.putAll(next);
    directoryProblems = List.of();
    reindex();
    if (unreadable.isEmpty()) {
      succeeded();
    } else {
      failed("cannot read " + String.join(", ", unreadable), null);
    }
  }

  /** One file now; {@code null} when it is gone. A broken file keeps its last good objects. */
  private @Nullable FileView read(Path file, @Nullable FileView previous, List<String> unreadable) {
    byte[] bytes;
    try {
      if (Files.size(file) > Manifests.MAX_BYTES) {
        return broken(file, previous, "file is larger than " + Manifests.MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      unreadable.add(relative(file) + ": " + reason(e));
      return broken(file, previous, "cannot read: " + reason(e));
    }
    ConfigSet set = Manifests.parse(bytes, relative(file));
    boolean brokenNow = set.problems().stream().anyMatch(p -> p.field().isEmpty());
    if (brokenNow && previous != null && !previous.objects().isEmpty()) {
      return keep(new FileView(previous.objects(), set.problems()), null);
    }
    return new FileView(set.objects(), set.problems());
  }

  private FileView broken(Path file, @Nullable FileView previous, String message) {
    Problem p = new Problem(relative(file), "", message, Problem.Severity.ERROR);
    if (previous != null && !previous.objects().isEmpty()) {
      return keep(new FileView(previous.objects(), List.of(p)), null);
    }
    return new FileView(List.of(), List.of(p));
  }

  /** The file's last good objects, its problems marked as such. */
  private FileView keep(FileView view, @Nullable String why) {
    List<Problem> problems = new ArrayList<>();
    List<Problem> source =
        why == null
            ? view.problems()
            : List.of(
                new Problem(
                    view.objects().isEmpty() ? "" : view.objects().get(0).origin(),
                    "",
                    why,
                    Problem.Severity.ERROR));
    for (Problem p : source) {
      problems.add(
          new Problem(
              p.object(),
              p.field(),
              p.message() + "; keeping the file's last good version",
              p.severity()));
    }
    return new FileView(view.objects(), problems);
  }

  private void reindex() {
    fileOf.clear();
    files.forEach((file, view) -> view.objects().forEach(o -> fileOf.putIfAbsent(o.ref(), file)));
  }

  private ConfigSet view() {
    List<ConfigObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>(directoryProblems);
    for (FileView v : files.values()) {
      objects.addAll(v.objects());
      problems.addAll(v.problems());
    }
    return new ConfigSet(objects, problems);
  }

  private void succeeded() {
    lastSuccess = clock.instant();
    lastFailure = null;
  }

  private void failed(String what, @Nullable Throwable e) {
    failures++;
    lastFailure = what;
    if (e != null) {
      log.error(
          "config source {}: {}; keeping the last good view", directory, LogText.escape(what), e);
    } else {
      log.error(
          "config source {}: {}; keeping the last good view", directory, LogText.escape(what));
    }
  }

  private static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return e.getClass().getSimpleName() + " (" + f.getReason() + ")";
    }
    return e.getClass().getSimpleName();
  }

  /** The path below the directory, as messages and origins show it: never an absolute path. */
  private String relative(Path p) {
    Path rel = directory.relativize(p);
    return rel.toString().isEmpty() ? "." : rel.toString();
  }

  private boolean isHidden(Path p) {
    for (Path part : directory.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private boolean isManifest(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) && !isHidden(p);
  }

  @Override
  public synchronized Subscription watch(Consumer<ConfigSet> listener) {
    watchers.add(listener);
    if (scheduler == null) {
      start();
    }
    return () -> watchers.remove(listener);
  }

  private void start() {
    if (!loaded) {
      readDirectory();
    }
    published = view();
    try {
      watchService = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      // Without events the resync still picks changes up.
      failed("cannot watch " + directory + ": " + reason(e), null);
    }
    registerAll();
    ScheduledExecutorService s =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "nm4j-config-watch");
              t.setDaemon(true);
              return t;
            });
    scheduler = s;
    WatchService ws = watchService;
    if (ws != null) {
      s.execute(() -> pollLoop(ws));
    }
    s.scheduleWithFixedDelay(
        this::resync, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Registers every directory that is not hidden; what cannot be registered is counted. */
  private void registerAll() {
    WatchService ws = watchService;
    if (ws == null || !Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (!dir.equals(directory) && isHidden(dir)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              try {
                dir.register(
                    ws,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
              } catch (NoSuchFileException e) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        failed(
            "cannot watch the subdirectories of " + directory + ": " + e.getClass().getName(),
            null);
      }
    }
  }

  /**
   * Waits for changes and schedules a reload. Nothing a change can bring (files vanishing, a
   * directory replaced, a bug) ends the loop; only {@link #close()} does.
   */
  private void pollLoop(WatchService ws) {
    while (true) {
      try {
        WatchKey key = ws.take();
        key.pollEvents();
        key.reset();
        registerAll(); // new subdirectories
        scheduleReload();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        synchronized (this) {
          failed("watching failed: " + e.getClass().getName(), e);
        }
      }
    }
  }

  /**
   * The periodic reload, whatever the watch saw: it also registers a directory that was replaced
   * (its old watch keys went with it). A scheduled task that throws is never run again, so nothing
   * leaves here.
   */
  private void resync() {
    try {
      registerAll();
      reload();
    } catch (RuntimeException e) {
      synchronized (this) {
        failed("resync failed: " + e.getClass().getName(), e);
      }
    }
  }

  private synchronized void scheduleReload() {
    ScheduledExecutorService s = scheduler;
    if (s == null) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    pending = s.schedule(this::reload, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Reads the directory again and tells the watchers when anything changed. Reloads (after a
   * change, and the periodic resync) publish one at a time, so a watcher never gets an older view
   * after a newer one.
   */
  private void reload() {
    synchronized (publishing) {
      ConfigSet set;
      synchronized (this) {
        readDirectory();
        set = view();
        if (set.equals(published)) {
          return;
        }
        published = set;
      }
      for (Consumer<ConfigSet> w : watchers) {
        try {
          w.accept(set);
        } catch (RuntimeException e) {
          log.warn("config listener failed", e);
        }
      }
    }
  }

  private void ensureLoaded() {
    if (!loaded) {
      readDirectory();
    }
  }

  private @Nullable ConfigObject find(ObjectRef ref) {
    Path file = fileOf.get(ref);
    if (file == null) {
      return null;
    }
    for (ConfigObject o : files.get(file).objects()) {
      if (o.ref().equals(ref)) {
        return o;
      }
    }
    return null;
  }

  @Override
  public synchronized ConfigObject create(ConfigObject object) {
    ensureLoaded();
    if (find(object.ref()) != null) {
      throw StoreSupport.alreadyExists(object);
    }
    Path file = directory.resolve(fileName(object.ref()));
    if (Files.exists(file)) {
      // Another object's file (hand-written, or not readable now) has the name: only say it is
      // taken, never what it holds.
      throw StoreSupport.alreadyExists(object);
    }
    ConfigObject stored =
        StoreSupport.created(object, object.metadata().namespace(), clock.instant(), nextVersion());
    write(file, stored);
    return stored;
  }

  @Override
  public synchronized ConfigObject update(ConfigObject object) {
    ensureLoaded();
    ConfigObject existing = find(object.ref());
    if (existing == null) {
      throw StoreSupport.notFound(object.kind(), object.metadata().name());
    }
    Path file = ownFile(object.ref());
    ConfigObject stored = StoreSupport.updated(object, existing, nextVersion());
    write(file, stored);
    return stored;
  }

  @Override
  public synchronized Optional<ConfigObject> get(String kind, String name) {
    ensureLoaded();
    return Optional.ofNullable(find(new ObjectRef(kind, name)));
  }

  @Override
  public synchronized List<ConfigObject> list(String kind, LabelSelector selector) {
    ensureLoaded();
    return StoreSupport.select(view().objects(), kind, selector);
  }

  @Override
  public synchronized ConfigObject delete(String kind, String name) {
    ensureLoaded();
    ObjectRef ref = new ObjectRef(kind, name);
    ConfigObject existing = find(ref);
    if (existing == null) {
      throw StoreSupport.notFound(kind, name);
    }
    Path file = ownFile(ref);
    try {
      Files.deleteIfExists(file);
      syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.UNAVAILABLE,
          ref + ": cannot delete " + relative(file) + ": " + reason(e));
    }
    files.remove(file);
    reindex();
    return existing;
  }

  /** The file holding only this object; objects sharing a file are edited by hand. */
  private Path ownFile(ObjectRef ref) {
    Path file = fileOf.get(ref);
    if (file == null) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.CONFLICT,
          ref + ": its file cannot be read now; fix the file first");
    }
    if (files.get(file).objects().size() != 1) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.CONFLICT,
          ref + ": defined in " + relative(file) + " together with other objects; edit that file");
    }
    return file;
  }

  private long nextVersion() {
    // Floored by the clock in microseconds: after a restart the highest version may belong to a
    // deleted object, and reusing it would let a client's stale copy pass the conflict check.
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    version = Math.max(Math.max(version, StoreSupport.maxVersion(view().objects())), micros) + 1;
    return version;
  }

  /**
   * {@code kind.name.yaml}; a name that would make the file name longer than {@value
   * #MAX_FILE_NAME} characters is cut and given a hash of the whole name, so every name up to 253
   * characters has its own file.
   */
  static String fileName(ObjectRef ref) {
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
   * Writes what reads back identically: the YAML is parsed again with the reader's limits and
   * compared first, so no stored object can become unreadable. Then a temporary file, flushed,
   * renamed over the target, directory flushed: old or new, never torn.
   */
  private void write(Path file, ConfigObject object) {
    String origin = relative(file);
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
                  tmp,
                  java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  FILE_MODE)
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
    ConfigObject stored = back.objects().get(0);
    files.put(file, new FileView(List.of(stored), List.of()));
    reindex();
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
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("cannot flush directory {}", dir, e);
    }
  }

  @Override
  public String describe() {
    return "directory " + directory;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        log.debug("closing watch service", e);
      }
      watchService = null;
    }
  }
}
