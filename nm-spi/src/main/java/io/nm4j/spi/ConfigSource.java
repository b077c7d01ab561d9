package io.nm4j.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where receivers, configs, secrets and settings come from: a directory of manifests, Kubernetes,
 * memory, or the host's own store. A source publishes raw objects; the core validates them and
 * builds the routing snapshot.
 */
public interface ConfigSource extends AutoCloseable {

  /**
   * Reads everything the source holds now. Blocks until the source has its first complete view (for
   * example an informer's initial sync). Problems met while reading are in the result.
   */
  ConfigSet load();

  /**
   * Calls {@code listener} with the full set after each change, from a thread of the source's own,
   * until the returned handle is closed. The default source never changes.
   */
  default Subscription watch(Consumer<ConfigSet> listener) {
    return () -> {};
  }

  /** A short description for logs, e.g. {@code directory /etc/nm4j}. */
  default String describe() {
    return getClass().getSimpleName();
  }

  /**
   * Whether the source still follows its backing store, for readiness checks and metrics. A source
   * that never changes is always healthy; a watching source reports when it last had a complete,
   * current view and the failures met since (a directory walk that threw, an informer that
   * stopped), so a host can tell "configuration unchanged" from "no longer watching".
   */
  default Health health() {
    return Health.STATIC;
  }

  @Override
  default void close() {}

  /**
   * A source's health.
   *
   * @param lastSuccess when the source last had a complete, current view; {@code null} for a source
   *     that does not watch (its first load is all there is)
   * @param failures reloads or watches that failed since the source started
   * @param lastFailure what the newest failure was, without secret values; {@code null} when there
   *     was none since the last success
   */
  record Health(@Nullable Instant lastSuccess, long failures, @Nullable String lastFailure) {
    /** A source that does not watch and cannot fall behind. */
    public static final Health STATIC = new Health(null, 0, null);

    public Health {
      if (failures < 0) {
        throw new IllegalArgumentException("failures must not be negative");
      }
    }

    /** Healthy at {@code now}: no success is older than {@code bound} while failing. */
    public boolean isCurrent(Instant now, Duration bound) {
      Objects.requireNonNull(now, "now");
      return lastSuccess == null || lastFailure == null || !lastSuccess.plus(bound).isBefore(now);
    }
  }

  /** Stops a {@link #watch}. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
