package io.nm4j.spi;

import java.util.List;
import java.util.Optional;

/**
 * A {@link ConfigSource} that can also be written: the admin API creates, updates and deletes
 * receivers, configs and secrets through it. The store owns {@code uid}, {@code creationTimestamp}
 * and {@code resourceVersion}: it sets them on create, keeps them in what it stores, and checks the
 * {@code resourceVersion} of an update (optimistic concurrency, as the Kubernetes API server does).
 * A write becomes visible to {@link #watch} like any other change of the source.
 *
 * <p>Failures are {@link ConfigStoreException}s with a {@link ConfigStoreException.Reason}.
 */
public interface ConfigStore extends ConfigSource {

  /**
   * Stores a new object and returns it as stored (namespace, uid, creationTimestamp and
   * resourceVersion set).
   *
   * @throws ConfigStoreException {@code ALREADY_EXISTS} when its kind and name are taken
   */
  ConfigObject create(ConfigObject object);

  /**
   * Replaces an object. A non-empty {@code metadata.resourceVersion} must equal the stored one; an
   * empty one replaces unconditionally. {@code uid} and {@code creationTimestamp} are kept.
   *
   * @throws ConfigStoreException {@code NOT_FOUND}, or {@code CONFLICT} on a stale version
   */
  ConfigObject update(ConfigObject object);

  /** The stored object of this kind and name. */
  Optional<ConfigObject> get(String kind, String name);

  /** The stored objects of a kind whose labels match {@code selector}, sorted by name. */
  List<ConfigObject> list(String kind, LabelSelector selector);

  /**
   * Deletes an object and returns it as it was.
   *
   * @throws ConfigStoreException {@code NOT_FOUND}
   */
  ConfigObject delete(String kind, String name);
}
