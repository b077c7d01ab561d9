package io.nm4j.core;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 */
public final class FileConfigSource implements ConfigSource {
  private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);

  private final Path directory;
  private final Duration debounce;
  private final Map<Path, List<ConfigObject>> lastGood = new HashMap<>();
  private final List<Consumer<ConfigSet>> watchers = new CopyOnWriteArrayList<>();
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable WatchService watchService;
  private @Nullable ScheduledFuture<?> pending;

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
