package io.nm4j.k8s;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.nm4j.spi.TenantResolver;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * KubeSphere tenancy: the tenants of a namespace are the distinct {@code User} subjects of its
 * RoleBindings, sorted by name. Groups and ServiceAccounts are ignored; a user bound twice is one
 * tenant; a namespace without RoleBindings has no tenant.
 *
 * <p>Reads an informer's cache, so a lookup costs no request and sees RoleBinding changes as soon
 * as the informer does. Get one from {@link KubernetesConfigSource#tenantResolver()}, or build one
 * on an informer of your own with {@link #of(SharedIndexInformer)}.
 */
public final class RoleBindingTenantResolver implements TenantResolver {

  private static final String USER = "User";

  private final Function<String, ? extends Collection<RoleBinding>> bindingsIn;

  private RoleBindingTenantResolver(
      Function<String, ? extends Collection<RoleBinding>> bindingsIn) {
    this.bindingsIn = bindingsIn;
  }

  /**
   * A resolver over an informer of RoleBindings (in any namespace); it uses the informer's
   * namespace index, so keep that index.
   */
  public static RoleBindingTenantResolver of(SharedIndexInformer<RoleBinding> informer) {
    Objects.requireNonNull(informer, "informer");
    return new RoleBindingTenantResolver(
        ns -> informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns));
  }

  /** A resolver over any lookup of a namespace's RoleBindings. */
  public static RoleBindingTenantResolver of(
      Function<String, ? extends Collection<RoleBinding>> bindingsInNamespace) {
    return new RoleBindingTenantResolver(
        Objects.requireNonNull(bindingsInNamespace, "bindingsInNamespace"));
  }

  @Override
  public List<String> tenantsOf(String namespace) {
    return usersOf(bindingsIn.apply(namespace));
  }

  /** The distinct {@code User} subjects of some RoleBindings, sorted. */
  public static List<String> usersOf(Collection<RoleBinding> bindings) {
    TreeSet<String> users = new TreeSet<>();
    for (RoleBinding binding : bindings) {
      List<Subject> subjects = binding.getSubjects();
      if (subjects == null) {
        continue;
      }
      for (Subject subject : subjects) {
        if (USER.equals(subject.getKind())
            && subject.getName() != null
            && !subject.getName().isEmpty()) {
          users.add(subject.getName());
        }
      }
    }
    return List.copyOf(users);
  }

  @Override
  public String toString() {
    return "RoleBindingTenantResolver";
  }
}
