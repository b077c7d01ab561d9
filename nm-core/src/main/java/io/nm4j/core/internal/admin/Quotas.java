package io.nm4j.core.internal.admin;

import io.nm4j.core.Manifests;
import io.nm4j.core.admin.Status;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The per-tenant quota of the admin API: at most a number of objects (receivers, configs and
 * secrets with the tenant's label) and of bytes of them as stored. Writes of one tenant are checked
 * and made one at a time, so parallel requests cannot pass the limit together.
 */
public final class Quotas {
  private final ConfigStore store;
  private final Resources resources;
  private final int tenantMaxObjects;
  private final long tenantMaxBytes;
  private final Map<String, Object> lockByTenant = new ConcurrentHashMap<>();

  public Quotas(ConfigStore store, Resources resources, int tenantMaxObjects, long tenantMaxBytes) {
    this.store = store;
    this.resources = resources;
    this.tenantMaxObjects = tenantMaxObjects;
    this.tenantMaxBytes = tenantMaxBytes;
  }

  /**
   * Makes {@code write} of {@code candidate}, an object of the tenant its {@code tenantKey} label
   * names, only within that tenant's quota; else 403.
   *
   * @param replaces whether the write replaces a stored object (an update), which adds none
   */
  public <T> T withinQuota(
      ConfigObject candidate, String tenantKey, boolean replaces, Supplier<T> write) {
    String tenant = Objects.requireNonNull(candidate.metadata().labels().get(tenantKey));
    synchronized (lockByTenant.computeIfAbsent(tenant, t -> new Object())) {
      long objects = 0;
      long bytes = sizeOf(candidate);
      for (ConfigObject o : StoreCalls.call(store::load, candidate.kind(), "").objects()) {
        if (tenant.equals(o.metadata().labels().get(tenantKey))
            && resources.byKind(o.kind()) != null) {
          if (!o.ref().equals(candidate.ref())) {
            objects++;
            bytes += sizeOf(o);
          }
        }
      }
      String who = tenantKey + " \"" + tenant + "\"";
      if (!replaces && objects + 1 > tenantMaxObjects) {
        throw new Status(
                403,
                "Forbidden",
                "exceeded quota: "
                    + who
                    + " holds "
                    + objects
                    + " objects, the limit is "
                    + tenantMaxObjects
                    + "; delete one before creating another",
                candidate.kind(),
                candidate.metadata().name(),
                List.of())
            .exception();
      }
      if (bytes > tenantMaxBytes) {
        throw new Status(
                403,
                "Forbidden",
                "exceeded quota: "
                    + who
                    + " would hold "
                    + bytes
                    + " bytes of objects, the limit is "
                    + tenantMaxBytes
                    + " bytes",
                candidate.kind(),
                candidate.metadata().name(),
                List.of())
            .exception();
      }
      return write.get();
    }
  }

  /** The size of an object as a store keeps it (its manifest). */
  private static long sizeOf(ConfigObject o) {
    return Manifests.toYaml(o).getBytes(StandardCharsets.UTF_8).length;
  }
}
