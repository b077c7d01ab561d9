package io.nm4j.core;

import io.nm4j.core.internal.StoreSupport;
import io.nm4j.core.internal.store.DirectoryWatch;
import io.nm4j.core.internal.store.FileView;
import io.nm4j.core.internal.store.ManifestFiles;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.LogText;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

  private @Nullable DirectoryWatch watch;

  private @Nullable Instant lastSuccess;
  private long failures;
  private @Nullable String lastFailure;

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
    if (watch == null || !loaded) {
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
                unreadable.add(relative(file) + ": " + ManifestFiles.reason(e));
                if (isManifest(file)) {
                  seen.put(file, false);
                }
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      failed("cannot list " + directory + ": " + ManifestFiles.reason(e), null);
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
        next.put(file, previous.keptBecause("cannot be read now"));
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
    return FileView.read(file, relative(file), previous, unreadable);
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
    if (watch == null) {
      start();
    }
    return () -> watchers.remove(listener);
  }

  private void start() {
    if (!loaded) {
      readDirectory();
    }
    published = view();
    DirectoryWatch w =
        new DirectoryWatch(
            directory, this::isHidden, debounce, resync, this::reload, this::failedWhileWatching);
    watch = w;
    w.start();
  }

  private synchronized void failedWhileWatching(String what, @Nullable Throwable e) {
    failed(what, e);
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
    Path file = directory.resolve(ManifestFiles.fileName(object.ref()));
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
      ManifestFiles.syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.UNAVAILABLE,
          ref + ": cannot delete " + relative(file) + ": " + ManifestFiles.reason(e));
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

  /** Writes {@code object} as the only object of {@code file}, durably, and indexes it. */
  private void write(Path file, ConfigObject object) {
    ConfigObject stored = ManifestFiles.write(file, relative(file), object);
    files.put(file, new FileView(List.of(stored), List.of()));
    reindex();
  }

  @Override
  public String describe() {
    return "directory " + directory;
  }

  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.close();
      watch = null;
    }
  }
}
