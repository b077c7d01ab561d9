package io.nm4j.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleBindingTenantResolverTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static List<RoleBinding> fixtureBindings(String namespace) {
    return MockCluster.manifests("kubesphere/rolebindings.yaml").stream()
        .map(m -> SERIALIZATION.convertValue(m, RoleBinding.class))
        .filter(b -> b.getMetadata().getNamespace().equals(namespace))
        .toList();
  }

  @Test
  void tenantsAreTheDistinctUsersOfTheNamespacesBindingsSorted() {
    Map<String, List<RoleBinding>> byNamespace =
        Map.of("shop", fixtureBindings("shop"), "payments", fixtureBindings("payments"));
    RoleBindingTenantResolver resolver =
        RoleBindingTenantResolver.of(ns -> byNamespace.getOrDefault(ns, List.of()));

    // shop binds alice twice, bob, the Group devs and the ServiceAccount ci.
    assertThat(resolver.tenantsOf("shop")).containsExactly("alice", "bob");
    assertThat(resolver.tenantsOf("payments")).containsExactly("bob");
  }

  @Test
  void namespaceWithoutRoleBindingsHasNoTenant() {
    RoleBindingTenantResolver resolver = RoleBindingTenantResolver.of(ns -> List.of());

    assertThat(resolver.tenantsOf("shop")).isEmpty();
  }

  @Test
  void groupsAndServiceAccountsAreNeverTenants() {
    List<RoleBinding> shop = fixtureBindings("shop");

    assertThat(RoleBindingTenantResolver.usersOf(shop)).doesNotContain("devs", "ci");
  }
}
