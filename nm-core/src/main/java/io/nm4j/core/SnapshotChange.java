package io.nm4j.core;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.snapshot.SecretReader;
import io.nm4j.core.internal.snapshot.SetDelta;
import io.nm4j.core.internal.snapshot.SnapshotProblems;
import io.nm4j.core.internal.v2beta2.V2beta2Objects;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The next snapshot after a change whose dependants are few enough to update in place: RoleBindings
 * (the namespaces they are in), rotated secret values (the secrets themselves) and v2beta2 Routers
 * and Silences (the routing stages). Everything else the snapshot holds is shared with the one
 * before. Any other change, or one of these that may change an outcome beyond them (a secret
 * gaining an owner or a key, an object defined twice), is left to {@link SnapshotBuilder}, which
 * reuses each unchanged object's reading and resolution.
 */
final class SnapshotChange {
  private SnapshotChange() {}

  /** The snapshot of {@code set} after {@code previous}, or {@code null} when it takes a build. */
  static @Nullable Snapshot apply(Snapshot previous, ConfigSet set) {
    Snapshot.Basis basis = previous.basis();
    SnapshotBuilder.Inputs inputs = previous.inputs();
    if (inputs == null || !set.problems().equals(basis.setProblems())) {
      return null; // the source's problems lead the snapshot's; a build places them
    }
    ConfigSet.Change change = SetDelta.between(basis.objects(), set);
    if (change == null) {
      return null;
    }
    if (basis.definedTwice()) {
      return null; // even a reordering may change which copy is used
    }
    List<ConfigObject> removed = change.removed();
    List<ConfigObject> added = change.added();
    if (allRoleBindings(removed) && allRoleBindings(added)) {
      // RoleBindings are never read into problems: they only say who the tenants of a namespace
      // are.
      return previous.following(
          set, previous.tables().withRoleBindings(removed, added), previous.secrets());
    }
    if (allStaging(removed, inputs.namespace()) && allStaging(added, inputs.namespace())) {
      return SnapshotBuilder.restaged(previous, set, removed, added);
    }
    OwnedSecrets secrets = rotatedSecrets(previous, inputs.namespace(), removed, added);
    return secrets == null ? null : previous.following(set, previous.tables(), secrets);
  }

  private static boolean allRoleBindings(List<ConfigObject> objects) {
    for (ConfigObject o : objects) {
      if (!o.kind().equals(SnapshotBuilder.ROLE_BINDING_KIND)
          || !o.apiVersion().equals(SnapshotBuilder.RBAC_API_VERSION)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether each object is a v2beta2 Router or Silence a build would read: only stages use them.
   */
  private static boolean allStaging(List<ConfigObject> objects, String namespace) {
    for (ConfigObject o : objects) {
      String ns = o.metadata().namespace();
      if (!o.apiVersion().equals(ConfigObject.API_VERSION_V2BETA2)
          || !(o.kind().equals(V2beta2Objects.ROUTER) || o.kind().equals(V2beta2Objects.SILENCE))
          || !(ns.isEmpty() || ns.equals(namespace))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The secrets after {@code added} replaced {@code removed} one for one, each keeping its name,
   * namespace, owner and keys and read without problems: then every secret reference resolves as it
   * did, so no check, resolution or problem changes. {@code null} for any other change.
   */
  private static @Nullable OwnedSecrets rotatedSecrets(
      Snapshot previous, String namespace, List<ConfigObject> removed, List<ConfigObject> added) {
    if (removed.size() != added.size() || removed.isEmpty()) {
      return null;
    }
    Map<String, ConfigObject> before = new HashMap<>();
    for (ConfigObject o : removed) {
      if (!isSecret(o, namespace) || before.put(o.metadata().name(), o) != null) {
        return null;
      }
    }
    OwnedSecrets secrets = previous.secrets();
    Settings settings = previous.settings();
    SnapshotProblems problems = new SnapshotProblems();
    for (ConfigObject now : added) {
      ConfigObject then = before.remove(now.metadata().name());
      if (then == null
          || !isSecret(now, namespace)
          || !then.metadata().namespace().equals(now.metadata().namespace())) {
        return null;
      }
      Owner owner = Owner.ofSecret(now.metadata().labels(), settings);
      if (!owner.equals(Owner.ofSecret(then.metadata().labels(), settings))) {
        return null;
      }
      SecretReader.read(then, problems);
      Map<String, byte[]> values = SecretReader.read(now, problems);
      if (!problems.all().isEmpty()) {
        return null; // a secret's read errors are problems of the snapshot: a build reports them
      }
      secrets = secrets.rotated(now.metadata().name(), owner, values);
      if (secrets == null) {
        return null;
      }
    }
    return secrets;
  }

  private static boolean isSecret(ConfigObject o, String namespace) {
    String ns = o.metadata().namespace();
    return o.kind().equals(SnapshotBuilder.SECRET_KIND)
        && o.apiVersion().equals("v1")
        && (ns.isEmpty() || ns.equals(namespace));
  }
}
