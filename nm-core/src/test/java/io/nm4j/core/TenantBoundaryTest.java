package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.problems;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.secret;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.Status;
import io.nm4j.core.admin.VerifyResult;
import io.nm4j.core.admin.VerifyTarget;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSlots;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One ownership rule at snapshot build and at send time, and the owner's egress policy: a tenant
 * never sends with the admin's or another tenant's secret, however it names it.
 */
class TenantBoundaryTest {
  /** What the channel was asked to send: receiver, token value, the request's egress policy. */
  private final List<SendRequest<PagerReceiver, PagerConfig>> sent = new CopyOnWriteArrayList<>();

  private final InMemoryConfigSource store = new InMemoryConfigSource();
  private final NotificationManager manager =
      NotificationManager.builder()
          .discoverChannels(false)
          .channel(new PagerChannelProvider("Pager", ctx -> new RecordingChannel()))
          .configSource(store)
          .build();
  private final AdminService admin = AdminService.builder().store(store).manager(manager).build();
  private final Caller root = new Caller("root", Set.of("nm-admins"));
  private final Caller alice = new Caller("alice", Set.of("ns:alice"));
  private final Caller bob = new Caller("bob", Set.of("ns:bob"));

  private final class RecordingChannel implements Channel<PagerReceiver, PagerConfig> {
    @Override
    public SendResult send(SendRequest<PagerReceiver, PagerConfig> request) {
      sent.add(request);
      return SendResult.delivered();
    }
  }

  @AfterEach
  void close() {
    admin.close();
    manager.close();
  }

  private static ConfigObject object(String yaml) {
    return Fixtures.yaml(yaml).objects().get(0);
  }

  /** The one cause of the 422 {@code call} is refused with. */
  private static Status.Cause onlyCause(Runnable call) {
    try {
      call.run();
    } catch (AdminException e) {
      assertThat(e.status().code()).isEqualTo(422);
      assertThat(e.status().causes()).hasSize(1);
      return e.status().causes().get(0);
    }
    throw new AssertionError("expected a 422");
  }

  private static String tokenConfig(String name, String labels, String secret) {
    return receiver("PagerConfig", name, labels, "{token: {name: " + secret + ", key: token}}");
  }

  private List<String> tokensSent() {
    return sent.stream()
        .map(r -> r.notification().receiver().name() + ":" + r.secret("spec.token").reveal())
        .toList();
  }

  @Test
  void aConfigResolvesOnlyItsOwnersSecretsAndTheRestAreProblemsThatDoNotTellTheyExist() {
    Snapshot s =
        Fixtures.snapshot(
            secret("admin-token", "token", "YWRtaW4=")
                + secret("bob-token", "token", "Ym9i", "bob")
                + secret("alice-token", "token", "YWxpY2U=", "alice")
                + tokenConfig("alice-uses-admin", "{type: tenant, namespace: alice}", "admin-token")
                + tokenConfig("alice-uses-bob", "{type: tenant, namespace: alice}", "bob-token")
                + tokenConfig("alice-own", "{type: tenant, namespace: alice}", "alice-token")
                + tokenConfig("admin-uses-bob", "{team: ops}", "bob-token")
                + tokenConfig("default", "{type: default}", "admin-token"));
    assertThat(problems(s))
        .containsExactlyInAnyOrder(
            "PagerConfig/alice-uses-admin: spec.token: secret \"admin-token\" not found among"
                + " tenant alice's secrets",
            "PagerConfig/alice-uses-bob: spec.token: secret \"bob-token\" not found among tenant"
                + " alice's secrets",
            "PagerConfig/admin-uses-bob: spec.token: secret \"bob-token\" not found among the"
                + " admin's secrets");
  }

  @Test
  void aTenantsConfigNeverSendsWithTheSecretAnotherTenantCreatedUnderTheNameItDeleted() {
    admin.create(alice, "secrets", object(secret("shared-name", "token", "YWxpY2UtdmFsdWU=")));
    admin.create(alice, "pagerconfigs", object(tokenConfig("alice-pager", "{}", "shared-name")));
    admin.create(
        alice,
        "pagerreceivers",
        object(receiver("PagerReceiver", "alice", "{}", "{to: a, pagerConfigSelector: {}}")));
    manager.submit(batch(inNamespace("alice"))).allOutcomes().join();
    assertThat(tokensSent()).containsExactly("alice:alice-value");

    admin.delete(alice, "secrets", "shared-name");
    admin.create(bob, "secrets", object(secret("shared-name", "token", "Ym9iLXZhbHVl")));
    DeliveryOutcome o = manager.submit(batch(inNamespace("alice"))).allOutcomes().join().get(0);

    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.MISSING_SECRET);
    assertThat(o.lastFailure().detail())
        .isEqualTo(
            "PagerConfig/alice-pager: spec.token: secret \"shared-name\" not found among tenant"
                + " alice's secrets")
        .doesNotContain("bob");
    assertThat(tokensSent()).containsExactly("alice:alice-value");
    assertThat(problems(manager.snapshot()))
        .contains(
            "PagerConfig/alice-pager: spec.token: secret \"shared-name\" not found among tenant"
                + " alice's secrets");
  }

  @Test
  void anInlineTestConfigOfATenantNamingTheAdminsOrAnotherTenantsSecretSendsNothing() {
    admin.create(root, "secrets", object(secret("admin-token", "token", "YWRtaW4=")));
    admin.create(bob, "secrets", object(secret("bob-token", "token", "Ym9i")));
    ConfigObject receiver = object(receiver("PagerReceiver", "alice", "{}", "{to: a}"));
    for (String stolen : List.of("admin-token", "bob-token")) {
      ConfigObject config = object(tokenConfig("attacker", "{}", stolen));
      Status.Cause cause =
          onlyCause(
              () ->
                  admin.verify(alice, VerifyTarget.inline(receiver), VerifyTarget.inline(config)));
      assertThat(cause.field()).isEqualTo("spec.token");
      assertThat(cause.message())
          .isEqualTo("secret \"" + stolen + "\" not found among tenant alice's secrets");
    }
    assertThat(sent).isEmpty();

    admin.create(alice, "secrets", object(secret("alice-token", "token", "YWxpY2U=")));
    VerifyResult own =
        admin.verify(
            alice,
            VerifyTarget.inline(receiver),
            VerifyTarget.inline(object(tokenConfig("mine", "{}", "alice-token"))));
    assertThat(own.delivered()).isTrue();
    assertThat(tokensSent()).containsExactly("alice:alice");
  }

  @Test
  void aTestSendWithAConfigOfItsOwnKeepsTheReceiversLanguageAndTimeZone() {
    List<SendRequest<PagerReceiver, PagerConfig>> requests = new CopyOnWriteArrayList<>();
    InMemoryConfigSource source = new InMemoryConfigSource();
    try (NotificationManager rendering =
            NotificationManager.builder()
                .discoverChannels(false)
                .channel(
                    new PagerChannelProvider(
                            "Pager",
                            ctx ->
                                request -> {
                                  requests.add(request);
                                  return SendResult.delivered();
                                })
                        .withTemplateSlots(TemplateSlots.single("message", TemplateFormat.TEXT)))
                .configSource(source)
                .build();
        AdminService service = AdminService.builder().store(source).manager(rendering).build()) {
      service.create(root, "secrets", object(secret("admin-token", "token", "YWRtaW4=")));
      ConfigObject receiver =
          object(
              receiver(
                  "PagerReceiver",
                  "ops",
                  "{type: global}",
                  "{to: o, language: zh-cn, timezone: Asia/Shanghai}"));

      VerifyResult result =
          service.verify(
              root,
              VerifyTarget.inline(receiver),
              VerifyTarget.inline(object(tokenConfig("trial", "{}", "admin-token"))));

      assertThat(result.delivered()).isTrue();
      assertThat(requests)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.rendering().settings().language())
                    .isEqualTo(LanguagePack.CHINESE_SIMPLIFIED);
                assertThat(r.rendering().settings().zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
              });
    }
  }

  @Test
  void eachSendCarriesTheEgressPoliciesOfTheConfigsAndTheReceiversOwnersAndTheOriginMark() {
    store.putAll(
        Fixtures.yaml(
                secret("admin-token", "token", "YWRtaW4=")
                    + secret("alice-token", "token", "YWxpY2U=", "alice")
                    + tokenConfig("default", "{type: default}", "admin-token")
                    + tokenConfig("alice-own", "{type: tenant, namespace: alice}", "alice-token")
                    + global("ops")
                    + tenant("bob", "bob")
                    + receiver(
                        "PagerReceiver",
                        "alice",
                        "{type: tenant, namespace: alice}",
                        "{to: a, pagerConfigSelector: {matchLabels: {namespace: alice}}}"))
            .objects());
    manager.submit(batch(inNamespace("alice"), inNamespace("bob"))).allOutcomes().join();
    assertThat(sent).hasSize(3);
    for (SendRequest<PagerReceiver, PagerConfig> r : sent) {
      EgressPolicy expected =
          r.notification().receiver().name().equals("alice")
              ? EgressPolicy.tenantDefault()
              : EgressPolicy.UNRESTRICTED; // ops (global) and bob use the admin's default config
      assertThat(r.egress()).as(r.notification().receiver().toString()).isEqualTo(expected);
      // A destination the receiver names is held to its owner's policy: bob is a tenant.
      EgressPolicy receivers =
          r.notification().receiver().name().equals("ops")
              ? EgressPolicy.UNRESTRICTED
              : EgressPolicy.tenantDefault();
      assertThat(r.receiverEgress())
          .as(r.notification().receiver() + " receiver egress")
          .isEqualTo(receivers);
      assertThat(r.origin()).isEqualTo(manager.origin()).hasSize(32);
    }
    assertThat(manager.isOwnOrigin(manager.origin())).isTrue();
    assertThat(manager.isOwnOrigin("0123456789abcdef0123456789abcdef")).isFalse();
    assertThat(manager.isOwnOrigin(null)).isFalse();
  }

  @Test
  void aTenantConfigNamingADeniedHostIsRefusedAtValidationAndAnAdminOneIsNot() {
    for (String host : List.of("127.0.0.1", "169.254.169.254", "[::1]", "0.0.0.0", "localhost")) {
      ConfigObject config = object(receiver("PagerConfig", "c", "{}", "{host: \"" + host + "\"}"));
      Status.Cause cause = onlyCause(() -> admin.create(alice, "pagerconfigs", config));
      assertThat(cause.field()).as(host).isEqualTo("spec.host");
      assertThat(cause.message()).as(host).startsWith("egress denied for tenant alice: ");
    }
    assertThat(
            admin.create(
                root,
                "pagerconfigs",
                object(receiver("PagerConfig", "c", "{team: ops}", "{host: 127.0.0.1}"))))
        .isNotNull();
  }

  @Test
  void anOperatorsTenantPolicyDecidesWhatTenantConfigsMayName() {
    NotificationManager strict =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(new PagerChannelProvider())
            .tenantEgress(EgressPolicy.builder().deny("10.0.0.0/8").allow("10.1.0.0/16").build())
            .build();
    try (strict) {
      ConfigObject denied =
          object(
              receiver("PagerConfig", "c", "{type: tenant, namespace: alice}", "{host: 10.2.3.4}"));
      ConfigObject allowed =
          object(
              receiver("PagerConfig", "c", "{type: tenant, namespace: alice}", "{host: 10.1.3.4}"));
      assertThat(strict.validate(denied, io.nm4j.spi.ConfigSet.EMPTY))
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.message())
                      .isEqualTo(
                          "egress denied for tenant alice: 10.2.3.4 is in the denied range"
                              + " 10.0.0.0/8; its notifications fail with EGRESS_DENIED"));
      assertThat(strict.validate(allowed, io.nm4j.spi.ConfigSet.EMPTY)).isEmpty();
    }
  }
}
