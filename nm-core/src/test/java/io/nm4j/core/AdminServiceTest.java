package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.LabelSelector;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin service without HTTP, in namespace tenancy (the default tenant key). */
class AdminServiceTest {
  private final InMemoryConfigSource store = new InMemoryConfigSource();
  private final NotificationManager manager =
      NotificationManager.builder()
          .discoverChannels(false)
          .channel(new PagerChannelProvider())
          .configSource(store)
          .build();
  private final AdminService admin = AdminService.builder().store(store).manager(manager).build();
  private final Caller root = new Caller("root", Set.of("nm-admins"));
  private final Caller shop = new Caller("sam", Set.of("ns:shop"));
  private final Caller both = new Caller("pat", Set.of("ns:shop", "ns:web"));
  private final Caller web = new Caller("wes", Set.of("ns:web"));

  @AfterEach
  void close() {
    admin.close();
    manager.close();
  }

  private static ConfigObject object(String yaml) {
    return Fixtures.yaml(yaml).objects().get(0);
  }

  private static int code(Runnable r) {
    try {
      r.run();
      return 200;
    } catch (AdminException e) {
      return e.status().code();
    }
  }

  @Test
  void namespaceTenantsActForTheNamespacesOfTheirGroups() {
    ConfigObject created =
        admin.create(
            shop,
            "pagerreceivers",
            object(Fixtures.receiver("PagerReceiver", "shop-pager", "{}", "{to: x}")));
    assertThat(created.metadata().labels()).containsEntry("namespace", "shop");
    assertThat(created.metadata().labels()).containsEntry("type", "tenant");
    assertThat(admin.get(both, "pagerreceivers", "shop-pager")).isNotNull();
    assertThat(code(() -> admin.get(web, "pagerreceivers", "shop-pager"))).isEqualTo(404);
    assertThat(admin.list(web, "pagerreceivers", LabelSelector.EVERYTHING)).isEmpty();
    assertThat(admin.list(root, "pagerreceivers", LabelSelector.EVERYTHING)).hasSize(1);
  }

  @Test
  void aCallerOfSeveralTenantsMustNameOne() {
    assertThatThrownBy(
            () ->
                admin.create(
                    both,
                    "pagerreceivers",
                    object(Fixtures.receiver("PagerReceiver", "p", "{}", "{to: x}"))))
        .isInstanceOfSatisfying(
            AdminException.class,
            e -> {
              assertThat(e.status().code()).isEqualTo(422);
              assertThat(e.status().causes().get(0).field()).isEqualTo("metadata.labels.namespace");
            });
    assertThat(
            admin
                .create(
                    both,
                    "pagerreceivers",
                    object(Fixtures.receiver("PagerReceiver", "p", "{namespace: web}", "{to: x}")))
                .metadata()
                .labels())
        .containsEntry("namespace", "web");
  }

  @Test
  void aCallerWithoutTenantIsForbidden() {
    Caller nobody = new Caller("nobody", Set.of());
    assertThat(
            code(
                () ->
                    admin.create(
                        nobody,
                        "pagerreceivers",
                        object(Fixtures.receiver("PagerReceiver", "p", "{}", "{to: x}")))))
        .isEqualTo(403);
    assertThat(code(() -> admin.deleteUser(nobody, "sam"))).isEqualTo(403);
  }

  @Test
  void repliesHideSecretValuesFromNonAdmins() {
    ConfigObject secret = object(Fixtures.secret("s", "token", "c2VjcmV0"));
    ConfigObject stored = admin.create(shop, "secrets", secret);
    assertThat(admin.render(shop, stored, true).toString()).doesNotContain("c2VjcmV0");
    assertThat(admin.render(root, stored, false).toString()).doesNotContain("c2VjcmV0");
    assertThat(admin.render(root, stored, true).toString()).contains("c2VjcmV0");
  }
}
