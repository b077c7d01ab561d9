package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.UserDeletion;
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

  @Test
  void deletingAUserDeletesTheirConfigMapsAndNoOneElses() {
    String templates =
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {message: hi}\n";
    admin.create(shop, "configmaps", object(templates.formatted("shop-templates")));
    admin.create(web, "configmaps", object(templates.formatted("web-templates")));
    admin.create(root, "configmaps", object(templates.formatted("ops-templates")));

    UserDeletion deleted = admin.deleteUser(root, "shop");

    assertThat(deleted.deleted()).contains("ConfigMap/shop-templates");
    assertThat(admin.list(root, "configmaps", LabelSelector.EVERYTHING))
        .extracting(o -> o.metadata().name())
        .containsExactly("ops-templates", "web-templates");
  }

  private static AdminException refusal(Runnable r) {
    try {
      r.run();
    } catch (AdminException e) {
      return e;
    }
    throw new AssertionError("expected a refusal");
  }

  private static ConfigObject pager(String name) {
    return object(Fixtures.receiver("PagerReceiver", name, "{}", "{to: x}"));
  }

  @Test
  void aTenantBeyondItsObjectQuotaIsRefusedWith403NamingTheLimit() {
    try (AdminService limited =
        AdminService.builder().store(store).manager(manager).tenantMaxObjects(3).build()) {
      limited.create(shop, "secrets", object(Fixtures.secret("s", "token", "c2VjcmV0")));
      limited.create(shop, "pagerreceivers", pager("a"));
      limited.create(shop, "pagerreceivers", pager("b"));
      AdminException e = refusal(() -> limited.create(shop, "pagerreceivers", pager("c")));
      assertThat(e.status().code()).isEqualTo(403);
      assertThat(e.status().reason()).isEqualTo("Forbidden");
      assertThat(e.status().message())
          .isEqualTo(
              "exceeded quota: namespace \"shop\" holds 3 objects, the limit is 3; delete one"
                  + " before creating another");
      // an update is not a new object; another tenant and the admin are not affected
      limited.update(shop, "pagerreceivers", "a", pager("a"));
      limited.create(web, "pagerreceivers", pager("w"));
      limited.create(root, "pagerreceivers", object(Fixtures.global("g")));
      limited.delete(shop, "pagerreceivers", "b");
      limited.create(shop, "pagerreceivers", pager("c"));
    }
  }

  @Test
  void aTenantBeyondItsByteQuotaIsRefusedOnCreateAndUpdate() {
    String big = java.util.Base64.getEncoder().encodeToString(new byte[3000]);
    try (AdminService limited =
        AdminService.builder().store(store).manager(manager).tenantMaxBytes(5000).build()) {
      limited.create(shop, "secrets", object(Fixtures.secret("one", "k", big)));
      AdminException e =
          refusal(() -> limited.create(shop, "secrets", object(Fixtures.secret("two", "k", big))));
      assertThat(e.status().code()).isEqualTo(403);
      assertThat(e.status().message())
          .startsWith("exceeded quota: namespace \"shop\" would hold ")
          .endsWith(" bytes of objects, the limit is 5000 bytes");
      String bigger = java.util.Base64.getEncoder().encodeToString(new byte[4000]);
      assertThat(
              code(
                  () ->
                      limited.update(
                          shop, "secrets", "one", object(Fixtures.secret("one", "k", bigger)))))
          .isEqualTo(403);
    }
  }

  @Test
  void parallelCreatesOfOneTenantNeverPassTheQuotaTogether() {
    try (AdminService limited =
        AdminService.builder().store(store).manager(manager).tenantMaxObjects(5).build()) {
      java.util.List<java.util.concurrent.CompletableFuture<Integer>> calls =
          new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String name = "p" + i;
        calls.add(
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> code(() -> limited.create(shop, "pagerreceivers", pager(name)))));
      }
      java.util.List<Integer> codes =
          calls.stream().map(java.util.concurrent.CompletableFuture::join).toList();
      assertThat(codes).filteredOn(c -> c == 200).hasSize(5);
      assertThat(codes).filteredOn(c -> c == 403).hasSize(11);
    }
  }

  @Test
  void aTakenNameIsAllA409Tells() {
    admin.create(web, "secrets", object(Fixtures.secret("shared", "token", "c2VjcmV0")));
    AdminException e =
        refusal(
            () ->
                admin.create(shop, "secrets", object(Fixtures.secret("shared", "token", "eA=="))));
    assertThat(e.status().code()).isEqualTo(409);
    assertThat(e.status().message())
        .isEqualTo(
            "Secret \"shared\" already exists (names are shared by all tenants; choose another)");
    assertThat(e.status().toMap().toString()).doesNotContain("web", "c2VjcmV0", "uid");
    // the other tenant's object stays invisible
    assertThat(code(() -> admin.get(shop, "secrets", "shared"))).isEqualTo(404);
    assertThat(code(() -> admin.delete(shop, "secrets", "shared"))).isEqualTo(404);
  }

  @Test
  void auditLinesNameCallerTenantsRemoteAndOutcomeAndCannotBeForged() {
    try (LogCapture log = new LogCapture()) {
      admin.create(shop.withRemoteAddress("10.1.2.3:51234"), "pagerreceivers", pager("a"));
      code(
          () ->
              admin.delete(
                  web.withRemoteAddress("10.9.9.9:1"),
                  "pagerreceivers",
                  "x\naudit user=root tenants=* remote=- verb=delete object=pagerreceivers/a"
                      + " code=200 outcome=ok"));
      String text = log.text();
      assertThat(text)
          .contains(
              "audit user=sam tenants=shop remote=10.1.2.3:51234 verb=create"
                  + " object=pagerreceivers/a code=201 outcome=ok")
          .contains(
              "audit user=wes tenants=web remote=10.9.9.9:1 verb=delete"
                  + " object=\"pagerreceivers/x\\naudit user=root")
          .contains("code=404 outcome=NotFound");
      assertThat(text.lines().filter(l -> l.contains("audit user=root")))
          .allSatisfy(l -> assertThat(l).contains("audit user=wes"));
    }
  }
}
