package io.nm4j.core.internal;

import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot of a source's current configuration: built when the source is first loaded, rebuilt
 * and swapped in whenever the source changes, and handed to the listeners. A change is built with
 * {@link Snapshot#next}, which redoes only what the changed objects touch, and logs only the
 * problems it brought. A change that cannot be built keeps the previous snapshot.
 */
public final class CurrentSnapshot implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CurrentSnapshot.class);

  private final ConfigSource source;
  private final List<Consumer<Snapshot>> listeners;
  private final ConfigSource.Subscription subscription;
  private volatile Snapshot current;

  /**
   * Loads the source (blocking until it has its objects), builds the first snapshot and follows the
   * source's changes.
   *
   * @param source the configuration
   * @param build builds the first snapshot of the source's objects
   * @param listeners called with every snapshot built after a change
   */
  public CurrentSnapshot(
      ConfigSource source,
      Function<ConfigSet, Snapshot> build,
      List<Consumer<Snapshot>> listeners) {
    this.source = source;
    this.listeners = new CopyOnWriteArrayList<>(listeners);
    this.current = logged(build.apply(source.load()));
    this.subscription = source.watch(this::onChange);
  }

  public Snapshot get() {
    return current;
  }

  /** Calls {@code listener} with every snapshot built from now on. */
  public void addListener(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  private static Snapshot logged(Snapshot s) {
    s.problems().forEach(CurrentSnapshot::log);
    return s;
  }

  private static void log(Problem p) {
    if (p.severity() == Problem.Severity.ERROR) {
      log.warn("config problem: {}", p);
    } else {
      log.info("config notice: {}", p);
    }
  }

  /**
   * Logs the problems of {@code next} that {@code previous} did not have: one change logs what it
   * caused, not every problem of the configuration again.
   */
  private static Snapshot loggedSince(Snapshot previous, Snapshot next) {
    if (next.problems() == previous.problems()) {
      return next;
    }
    Set<Problem> known = new HashSet<>(previous.problems());
    for (Problem p : next.problems()) {
      if (!known.contains(p)) {
        log(p);
      }
    }
    return next;
  }

  private void onChange(ConfigSet set) {
    Snapshot next;
    try {
      next = loggedSince(current, current.next(set));
    } catch (RuntimeException e) {
      log.error(
          "config change from {} not applied; keeping the previous snapshot", source.describe(), e);
      return;
    }
    current = next;
    log.info(
        "config reloaded from {}: {} receivers, {} problems",
        source.describe(),
        next.destinations().size(),
        next.problems().size());
    for (Consumer<Snapshot> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        log.warn("snapshot listener failed", e);
      }
    }
  }

  /** Stops following the source (the source itself is closed by its owner). */
  @Override
  public void close() {
    subscription.close();
  }
}
