package io.nm4j.core.internal.admin;

import io.nm4j.core.admin.UserDeletion;
import io.nm4j.core.internal.admin.Resources.Resource;
import io.nm4j.core.internal.admin.Resources.Role;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deletes a user's objects: every receiver and config labeled with the user, then the secrets only
 * they referenced and the user's own secrets no one else references, then the user's ConfigMaps
 * (only the user's receivers may use them). Nothing of other tenants.
 */
public final class UserDeletions {
  private final ConfigStore store;
  private final Resources resources;
  private final String namespace;

  public UserDeletions(ConfigStore store, Resources resources, String namespace) {
    this.store = store;
    this.resources = resources;
    this.namespace = namespace;
  }

  /**
   * Deletes the objects of {@code user}, going on past a failure and reporting what remains.
   *
   * @param tenantKey the label naming a tenant
   */
  public UserDeletion delete(String user, String tenantKey) {
    LabelSelector mine = LabelSelector.of(Map.of(tenantKey, user));
    List<ConfigObject> receiversAndConfigs = new ArrayList<>();
    for (Resource r : resources.all().values()) {
      if (r.role() == Role.RECEIVER || r.role() == Role.SILENCE) {
        receiversAndConfigs.addAll(store.list(r.kind(), mine));
      }
    }
    for (Resource r : resources.all().values()) {
      if (r.role() == Role.CONFIG) {
        receiversAndConfigs.addAll(store.list(r.kind(), mine));
      }
    }
    Set<ObjectRef> owned = new LinkedHashSet<>();
    Set<String> theirSecrets = new TreeSet<>();
    for (ConfigObject o : receiversAndConfigs) {
      owned.add(o.ref());
      theirSecrets.addAll(resources.secretNames(o, namespace));
    }
    store.list(Resources.SECRET_KIND, mine).forEach(s -> theirSecrets.add(s.metadata().name()));
    Set<String> othersUse = new TreeSet<>();
    for (ConfigObject o : store.load().objects()) {
      Resource r = resources.byKind(o.kind());
      if (r != null && !r.isCoreKind() && !owned.contains(o.ref())) {
        othersUse.addAll(resources.secretNames(o, namespace));
      }
    }
    theirSecrets.removeAll(othersUse);
    List<ObjectRef> order = new ArrayList<>(owned);
    theirSecrets.forEach(s -> order.add(new ObjectRef(Resources.SECRET_KIND, s)));
    store.list(Resources.CONFIG_MAP_KIND, mine).forEach(c -> order.add(c.ref()));
    List<String> deleted = new ArrayList<>();
    List<UserDeletion.Remaining> remaining = new ArrayList<>();
    for (ObjectRef ref : order) {
      try {
        store.delete(ref.kind(), ref.name());
        deleted.add(ref.toString());
      } catch (ConfigStoreException e) {
        if (e.reason() == ConfigStoreException.Reason.NOT_FOUND) {
          continue; // gone already, or a secret that was only referenced: nothing remains
        }
        remaining.add(new UserDeletion.Remaining(ref.toString(), e.getMessage()));
      } catch (RuntimeException e) {
        remaining.add(new UserDeletion.Remaining(ref.toString(), e.toString()));
      }
    }
    return new UserDeletion(user, deleted, remaining);
  }
}
