package io.nm4j.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ConfigObject;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoleBindingTenantsTest {

  private static ConfigObject roleBinding(String namespace, String name, Object subjects) {
    return ConfigObject.of("RoleBinding", name)
        .apiVersion("rbac.authorization.k8s.io/v1")
        .namespace(namespace)
        .field("subjects", subjects)
        .build();
  }

  private static Map<String, Object> subject(String kind, String name) {
    return Map.of("kind", kind, "name", name);
  }

  @Test
  void theUsersOfANamespaceAreItsUserSubjectsSortedEachOnce() {
    List<ConfigObject> bindings =
        List.of(
            roleBinding(
                "shop",
                "admins",
                List.of(
                    subject("User", "zoe"),
                    subject("ServiceAccount", "default"),
                    subject("User", "adam"),
                    subject("User", ""),
                    subject("Group", "ops"))),
            roleBinding(
                "shop", "viewers", List.of(subject("User", "adam"), subject("User", "mia"))),
            roleBinding("shop", "odd", "not a list"),
            roleBinding("shop", "again", List.of(subject("User", "zoe"), "not a map")));

    assertThat(RoleBindingTenants.usersOf(bindings)).containsExactly("adam", "mia", "zoe");
    assertThat(RoleBindingTenants.usersOf(bindings.subList(2, 3))).isEmpty();
    assertThat(RoleBindingTenants.usersOf(bindings.subList(3, 4))).containsExactly("zoe");
  }

  @Test
  void eachNamespaceHoldsItsRoleBindingsInTheirOrderAndNoneWithoutNamespaceIsKept() {
    ConfigObject shopAdmins = roleBinding("shop", "admins", List.of(subject("User", "zoe")));
    ConfigObject payAdmins = roleBinding("pay", "admins", List.of(subject("User", "mia")));
    ConfigObject shopViewers = roleBinding("shop", "viewers", List.of(subject("User", "adam")));
    ConfigObject shopOps = roleBinding("shop", "ops", List.of(subject("User", "ops")));
    ConfigObject nowhere = roleBinding("", "nowhere", List.of(subject("User", "eve")));

    var byNamespace =
        RoleBindingTenants.byNamespace(
            List.of(shopAdmins, payAdmins, nowhere, shopViewers, shopOps));

    assertThat(byNamespace.size()).isEqualTo(2);
    assertThat(byNamespace.get("shop")).containsExactly(shopAdmins, shopViewers, shopOps);
    assertThat(byNamespace.get("pay")).containsExactly(payAdmins);
    assertThat(byNamespace.get("")).isNull();
  }

  @Test
  void listsByKeyHoldEachKeysValuesInOrderUnmodifiableWhateverTheirNumber() {
    RoleBindingTenants.ListsByKey<Integer> lists = new RoleBindingTenants.ListsByKey<>(8);
    for (int size = 1; size <= 6; size++) {
      for (int value = 0; value < size; value++) {
        lists.add("key-" + size, value);
      }
    }

    var bySize = lists.build();

    assertThat(bySize.size()).isEqualTo(6);
    for (int size = 1; size <= 6; size++) {
      List<Integer> list = bySize.get("key-" + size);
      assertThat(list).containsExactlyElementsOf(IntStream.range(0, size).boxed().toList());
      assertThatThrownBy(() -> list.add(-1)).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
