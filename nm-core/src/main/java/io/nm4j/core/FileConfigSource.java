package io.nm4j.core;

import io.nm4j.core.internal.StoreSupport;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of manifests ({@code *.yaml}, {@code *.yml}, {@code *.json}, in subdirectories too;
 * hidden files and directories are skipped). Watching reloads after changes, debounced so an
 * editor's burst of writes is one reload. A file that breaks keeps its last good content in effect,
 * and the problem is reported, so a half-saved edit never drops receivers.
 *
 * <p>As a {@link ConfigStore} it keeps one object per file ({@code kind.name.yaml}, e.g. {@code
 * emailreceiver.alice.yaml}), with uid, creationTimestamp and resourceVersion in the file. Writes
 * are atomic: a hidden temporary file is written and flushed to disk, then renamed over the target,
 * so a crash leaves the old file or the new one, never a torn one. The running snapshot picks the
 * change up like any file edit. An object a person wrote into a file together with others can be
 * read, but not updated or deleted through the store: that file is theirs to edit.
 */
public final class FileConfigSource implements ConfigStore {
  private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);

  private final Path directory;
  private final Duration debounce;
  private final Map<Path, List<ConfigObject>> lastGood = new HashMap<>();
  private final List<Consumer<ConfigSet>> watchers = new CopyOnWriteArrayList<>();
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable WatchService watchService;
  private @Nullable ScheduledFuture<?> pending;
  private final Map<ObjectRef, Path> fileOf = new HashMap<>();
  private final Map<Path, Integer> objectsInFile = new HashMap<>();
  private final Clock clock = Clock.systemUTC();
  private long version;

  private FileConfigSource(Path directory, Duration debounce) {
    this.directory = directory;
    this.debounce = debounce;
  }

  /** A source reading {@code directory}, reloading 250 ms after the last change. */
  public static FileConfigSource of(Path directory) {
    return of(directory, Duration.ofMillis(250));
  }

  /** A source reading {@code directory}, reloading {@code debounce} after the last change. */
  public static FileConfigSource of(Path directory, Duration debounce) {
    Objects.requireNonNull(directory, "directory");
    if (debounce.isNegative()) {
      throw new IllegalArgumentException("debounce must not be negative");
    }
    return new FileConfigSource(directory, debounce);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public synchronized ConfigSet load() {
    if (!Files.isDirectory(directory)) {
      return new ConfigSet(
          List.of(),
          List.of(
              new Problem(
                  directory.toString(), "", "not a readable directory", Problem.Severity.ERROR)));
    }
    List<ConfigObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<Path> files;
    try {
      files = manifestFiles(directory);
    } catch (IOException e) {
      return new ConfigSet(
          List.of(),
          List.of(
              new Problem(
                  directory.toString(),
                  "",
                  "cannot list: " + e.getMessage(),
                  Problem.Severity.ERROR)));
    }
    Map<Path, List<ConfigObject>> good = new HashMap<>();
    for (Path file : files) {
      ConfigSet read = Manifests.read(file);
      boolean broken = read.problems().stream().anyMatch(p -> p.field().isEmpty());
      List<ConfigObject> previous = lastGood.get(file);
      if (broken && previous != null) {
        objects.addAll(previous);
        good.put(file, previous);
        for (Problem p : read.problems()) {
          problems.add(
              new Problem(
                  p.object(),
                  p.field(),
                  p.message() + "; keeping the file's last good version",
                  p.severity()));
        }
      } else {
        objects.addAll(read.objects());
        problems.addAll(read.problems());
        if (!broken) {
          good.put(file, read.objects());
        }
      }
    }
    lastGood.clear();
    lastGood.putAll(good);
    fileOf.clear();
    objectsInFile.clear();
    good.forEach(
        (file, list) -> {
          objectsInFile.put(file, list.size());
          list.forEach(o -> fileOf.putIfAbsent(o.ref(), file));
        });
    return new ConfigSet(objects, problems);
  }

  private static List<Path> manifestFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !isHidden(dir, p))
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    }
  }

  private static boolean isHidden(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".") || part.toString().startsWith("..")) {
        return true;
      }
    }
    return false;
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
    try {
      WatchService ws = FileSystems.getDefault().newWatchService();
      registerAll(ws);
      watchService = ws;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + directory, e);
    }
    ScheduledExecutorService s =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "nm4j-config-watch");
              t.setDaemon(true);
              return t;
            });
    scheduler = s;
    s.execute(this::pollLoop);
  }

  private void registerAll(WatchService ws) throws IOException {
    try (Stream<Path> dirs = Files.walk(directory)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        if (!isHidden(directory, d)) {
          d.register(
              ws,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
        }
      }
    }
  }

  private void pollLoop() {
    WatchService ws = watchService;
    while (ws != null) {
      WatchKey key;
      try {
        key = ws.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      key.pollEvents();
      key.reset();
      try {
        registerAll(ws); // new subdirectories
      } catch (IOException | ClosedWatchServiceException e) {
        log.debug("cannot watch new subdirectories of {}", directory, e);
      }
      scheduleReload();
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

  private void reload() {
    ConfigSet set = load();
    for (Consumer<ConfigSet> w : watchers) {
      try {
        w.accept(set);
      } catch (RuntimeException e) {
        log.warn("config listener failed", e);
      }
    }
  }

  @Override
  public synchronized ConfigObject create(ConfigObject object) {
    ConfigSet current = load();
    if (find(current, object.ref()) != null) {
      throw StoreSupport.alreadyExists(object);
    }
    Path file = directory.resolve(fileName(object.ref()));
    if (Files.exists(file)) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.ALREADY_EXISTS,
          object.ref() + ": file " + file + " exists already and holds other objects");
    }
    ConfigObject stored =
        StoreSupport.created(
            object, object.metadata().namespace(), clock.instant(), nextVersion(current));
    write(file, stored);
    return stored;
  }

  @Override
  public synchronized ConfigObject update(ConfigObject object) {
    ConfigSet current = load();
    ConfigObject existing = find(current, object.ref());
    if (existing == null) {
      throw StoreSupport.notFound(object.kind(), object.metadata().name());
    }
    Path file = ownFile(object.ref());
    ConfigObject stored = StoreSupport.updated(object, existing, nextVersion(current));
    write(file, stored);
    return stored;
  }

  @Override
  public synchronized Optional<ConfigObject> get(String kind, String name) {
    return Optional.ofNullable(find(load(), new ObjectRef(kind, name)));
  }

  @Override
  public synchronized List<ConfigObject> list(String kind, LabelSelector selector) {
    return StoreSupport.select(load().objects(), kind, selector);
  }

  @Override
  public synchronized ConfigObject delete(String kind, String name) {
    ObjectRef ref = new ObjectRef(kind, name);
    ConfigObject existing = find(load(), ref);
    if (existing == null) {
      throw StoreSupport.notFound(kind, name);
    }
    Path file = ownFile(ref);
    try {
      Files.delete(file);
      syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.UNAVAILABLE, ref + ": cannot delete " + file, e);
    }
    return existing;
  }

  private static @Nullable ConfigObject find(ConfigSet set, ObjectRef ref) {
    for (ConfigObject o : set.objects()) {
      if (o.ref().equals(ref)) {
        return o;
      }
    }
    return null;
  }

  /** The file holding only this object; objects sharing a file are edited by hand. */
  private Path ownFile(ObjectRef ref) {
    Path file = fileOf.get(ref);
    if (file == null) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.CONFLICT,
          ref + ": its file cannot be read now; fix the file first");
    }
    if (objectsInFile.getOrDefault(file, 0) != 1) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.CONFLICT,
          ref + ": defined in " + file + " together with other objects; edit that file");
    }
    return file;
  }

  private long nextVersion(ConfigSet current) {
    // Floored by the clock in microseconds: after a restart the highest version may belong to a
    // deleted object, and reusing it would let a client's stale copy pass the conflict check.
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    version = Math.max(Math.max(version, StoreSupport.maxVersion(current.objects())), micros) + 1;
    return version;
  }

  private static String fileName(ObjectRef ref) {
    if (!ref.name().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.INVALID,
          ref + ": metadata.name: must be a DNS-1123 subdomain to be stored as a file");
    }
    return ref.kind().toLowerCase(Locale.ROOT) + "." + ref.name() + ".yaml";
  }

  /** Temp file, flushed, renamed over the target, directory flushed: old or new, never torn. */
  private static void write(Path file, ConfigObject object) {
    byte[] bytes = Manifests.toYaml(object).getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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
          object.ref() + ": cannot write " + file + ": " + e.getMessage(),
          e);
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
