package io.nm4j.core.internal;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectMeta;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** What every {@link io.nm4j.spi.ConfigStore} does alike: stamping metadata, version checks. */
public final class StoreSupport {
  private StoreSupport() {}

  /** The object as first stored: a new uid, the creation time and its first version. */
  public static ConfigObject created(ConfigObject o, String namespace, Instant now, long version) {
    ObjectMeta m = o.metadata();
    ObjectMeta stamped =
        new ObjectMeta(
            m.name(),
            namespace,
            m.labels(),
            UUID.randomUUID().toString(),
            Long.toString(version),
            now);
    return new ConfigObject(o.apiVersion(), o.kind(), stamped, o.body(), o.origin());
  }

  /**
   * The object replacing {@code stored}: its uid and creation time kept, a new version.
   *
   * @throws ConfigStoreException {@code CONFLICT} when the update names another version
   */
  public static ConfigObject updated(ConfigObject o, ConfigObject stored, long version) {
    String expected = o.metadata().resourceVersion();
    ObjectMeta s = stored.metadata();
    if (!expected.isEmpty() && !expected.equals(s.resourceVersion())) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.CONFLICT,
          o.ref()
              + ": the object has been modified (resourceVersion "
              + expected
              + " is stale, now "
              + s.resourceVersion()
              + "); read it again and reapply the change");
    }
    ObjectMeta m = o.metadata();
    ObjectMeta stamped =
        new ObjectMeta(
            m.name(),
            s.namespace(),
            m.labels(),
            s.uid(),
            Long.toString(version),
            s.creationTimestamp());
    return new ConfigObject(o.apiVersion(), o.kind(), stamped, o.body(), o.origin());
  }

  /** The objects of a kind matching a selector, sorted by name. */
  public static List<ConfigObject> select(
      Collection<ConfigObject> all, String kind, LabelSelector selector) {
    return all.stream()
        .filter(o -> o.kind().equals(kind) && selector.matches(o.metadata().labels()))
        .sorted(Comparator.comparing(o -> o.metadata().name()))
        .toList();
  }

  /** The largest numeric resourceVersion among {@code objects}, 0 when none. */
  public static long maxVersion(Collection<ConfigObject> objects) {
    long max = 0;
    for (ConfigObject o : objects) {
      try {
        max = Math.max(max, Long.parseLong(o.metadata().resourceVersion()));
      } catch (NumberFormatException e) {
        // a hand-written version (or none) does not take part in the numbering
      }
    }
    return max;
  }

  public static ConfigStoreException notFound(String kind, String name) {
    return new ConfigStoreException(
        ConfigStoreException.Reason.NOT_FOUND, kind + "/" + name + " not found");
  }

  public static ConfigStoreException alreadyExists(ConfigObject o) {
    return new ConfigStoreException(
        ConfigStoreException.Reason.ALREADY_EXISTS, o.ref() + " already exists");
  }
}
