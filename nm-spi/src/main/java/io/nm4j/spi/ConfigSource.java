package io.nm4j.spi;

import java.util.function.Consumer;

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

  @Override
  default void close() {}

  /** Stops a {@link #watch}. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
