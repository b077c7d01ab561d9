package io.nm4j.core.internal.store;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a directory tree and asks for a reload: {@code debounce} after the last change the watch
 * service reports, and every {@code resync} whatever it reported (events can be lost, and a
 * replaced directory takes its watch keys with it). Nothing a change can bring ends the watch; only
 * {@link #close()} does.
 */
public final class DirectoryWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatch.class);

  private final Path directory;
  private final Predicate<Path> hidden;
  private final Duration debounce;
  private final Duration resync;
  private final Runnable reload;
  private final BiConsumer<String, @Nullable Throwable> failed;
  private @Nullable ScheduledExecutorService scheduler;
  private @Nullable WatchService watchService;
  private @Nullable ScheduledFuture<?> pendingReload;

  /**
   * @param directory the tree's root
   * @param hidden the directories not to watch
   * @param reload reads the directory again and publishes what changed
   * @param failed told what failed (and the exception, when one is worth a stack trace)
   */
  public DirectoryWatch(
      Path directory,
      Predicate<Path> hidden,
      Duration debounce,
      Duration resync,
      Runnable reload,
      BiConsumer<String, @Nullable Throwable> failed) {
    this.directory = directory;
    this.hidden = hidden;
    this.debounce = debounce;
    this.resync = resync;
    this.reload = reload;
    this.failed = failed;
  }

  /** Registers the tree and starts the event loop and the periodic resync. */
  public synchronized void start() {
    try {
      watchService = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      // Without events the resync still picks changes up.
      failed.accept("cannot watch " + directory + ": " + ManifestFiles.reason(e), null);
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
              if (!dir.equals(directory) && hidden.test(dir)) {
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
      failed.accept(
          "cannot watch the subdirectories of " + directory + ": " + e.getClass().getName(), null);
    }
  }

  /** Waits for changes and schedules a reload, until the watch service is closed. */
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
        failed.accept("watching failed: " + e.getClass().getName(), e);
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
      reload.run();
    } catch (RuntimeException e) {
      failed.accept("resync failed: " + e.getClass().getName(), e);
    }
  }

  private synchronized void scheduleReload() {
    ScheduledExecutorService s = scheduler;
    if (s == null) {
      return;
    }
    if (pendingReload != null) {
      pendingReload.cancel(false);
    }
    pendingReload = s.schedule(reload, debounce.toMillis(), TimeUnit.MILLISECONDS);
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
