package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.VerifyResult;
import io.nm4j.core.admin.VerifyTarget;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tenant boundary against a hostile tenant, with the real webhook channel and an attacker's
 * endpoint recording what it receives.
 */
class HostileTenantTest {
  private final MockWebServer attacker = new MockWebServer();
  private final InMemoryConfigSource store = new InMemoryConfigSource();
  private final Caller root = new Caller("root", Set.of("nm-admins"));
  private final Caller alice = new Caller("alice", Set.of("ns:alice"));
  private final Caller bob = new Caller("bob", Set.of("ns:bob"));
  private NotificationManager manager;
  private AdminService admin;

  @BeforeEach
  void start() throws Exception {
    attacker.start(InetAddress.getByName("127.0.0.1"), 0);
    // Loopback is opened for tenants here so that the attacker's endpoint is reachable and the
    // ownership rule is the only barrier the attacks below meet.
    manager(EgressPolicy.builder().allow("127.0.0.1/32").build());
  }

  private void manager(EgressPolicy tenantEgress) {
    if (admin != null) {
      admin.close();
      manager.close();
    }
    manager = NotificationManager.builder().configSource(store).tenantEgress(tenantEgress).build();
    admin = AdminService.builder().store(store).manager(manager).build();
  }

  @AfterEach
  void stop() {
    admin.close();
    manager.close();
    attacker.close();
  }

  private static ConfigObject object(String yaml) {
    return Manifests.parse(yaml, "test").objects().get(0);
  }

  private static String secret(String name, String value) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s}
        data: {token: %s}
        """
        .formatted(
            name, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static String config(String name, String url, String tokenSecret) {
    return """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookConfig
        metadata: {name: %s}
        spec:
          url: "%s"
          httpConfig: {bearerToken: {name: %s, key: token}}
        """
        .formatted(name, url, tokenSecret);
  }

  private static String receiver(String name) {
    return """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookReceiver
        metadata: {name: %s}
        spec: {webhookConfigSelector: {}}
        """
        .formatted(name);
  }

  private static AlertBatch alertIn(String namespace) {
    return AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "A", "namespace", namespace))));
  }

  private String attackerUrl() {
    return "http://127.0.0.1:" + attacker.getPort() + "/steal";
  }

  @Test
  void aTenantsInlineTestConfigNeverCarriesTheAdminsOrAnotherTenantsToken() throws Exception {
    admin.create(root, "secrets", object(secret("admin-token", "admin-value-1234")));
    admin.create(bob, "secrets", object(secret("bob-token", "bob-value-5678")));
    for (String stolen : List.of("admin-token", "bob-token")) {
      assertThatThrownBy(
              () ->
                  admin.verify(
                      alice,
                      VerifyTarget.inline(object(receiver("alice"))),
                      VerifyTarget.inline(object(config("steal", attackerUrl(), stolen)))))
          .isInstanceOfSatisfying(
              AdminException.class,
              e -> {
                assertThat(e.status().code()).isEqualTo(422);
                assertThat(e.status().message())
                    .contains(
                        "spec.httpConfig.bearerToken: secret \""
                            + stolen
                            + "\" not found among tenant alice's secrets");
              });
    }
    assertThat(attacker.getRequestCount()).isZero();

    // Her own token goes where she says: the rule, not the endpoint, was what stopped her.
    admin.create(alice, "secrets", object(secret("alice-token", "alice-value-9012")));
    attacker.enqueue(new MockResponse.Builder().code(200).build());
    VerifyResult own =
        admin.verify(
            alice,
            VerifyTarget.inline(object(receiver("alice"))),
            VerifyTarget.inline(object(config("own", attackerUrl(), "alice-token"))));
    assertThat(own.delivered()).isTrue();
    RecordedRequest got = attacker.takeRequest(5, TimeUnit.SECONDS);
    assertThat(got.getHeaders().get("Authorization")).isEqualTo("Bearer alice-value-9012");
  }

  @Test
  void aDeletedSecretsNameTakenByAnotherTenantNeverLendsItsValue() throws Exception {
    admin.create(alice, "secrets", object(secret("shared-name", "alice-value-9012")));
    admin.create(
        alice, "webhookconfigs", object(config("alice-hook", attackerUrl(), "shared-name")));
    admin.create(alice, "webhookreceivers", object(receiver("alice")));
    attacker.enqueue(new MockResponse.Builder().code(200).build());
    manager.submit(alertIn("alice")).allOutcomes().join();
    assertThat(attacker.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
        .isEqualTo("Bearer alice-value-9012");

    admin.delete(alice, "secrets", "shared-name");
    admin.create(bob, "secrets", object(secret("shared-name", "bob-value-5678")));
    DeliveryOutcome o = manager.submit(alertIn("alice")).allOutcomes().join().get(0);

    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.MISSING_SECRET);
    assertThat(o.lastFailure().detail())
        .isEqualTo(
            "WebhookConfig/alice-hook: spec.httpConfig.bearerToken: secret \"shared-name\" not"
                + " found among tenant alice's secrets");
    assertThat(attacker.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aTenantWebhookOnADeniedAddressIsRefusedAtValidationOrAtConnect() throws Exception {
    manager(EgressPolicy.tenantDefault());
    int port = attacker.getPort();
    for (String url :
        List.of(
            "http://127.0.0.1:" + port + "/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:" + port + "/",
            "http://0.0.0.0:" + port + "/",
            "http://localhost:" + port + "/")) {
      String yaml =
          """
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookConfig
          metadata: {name: hook}
          spec: {url: "%s"}
          """
              .formatted(url);
      assertThatThrownBy(() -> admin.create(alice, "webhookconfigs", object(yaml)))
          .as(url)
          .isInstanceOfSatisfying(
              AdminException.class,
              e -> {
                assertThat(e.status().code()).isEqualTo(422);
                assertThat(e.status().causes().get(0).field()).isEqualTo("spec.url");
                assertThat(e.status().causes().get(0).message())
                    .startsWith("egress denied for tenant alice: ");
              });
    }
    // Written around the admin API (a file, kubectl), it is reported and still fails at connect.
    store.putAll(
        Manifests.parse(
                """
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: WebhookConfig
                metadata: {name: hook, labels: {type: tenant, namespace: alice}}
                spec: {url: "http://localhost:%d/"}
                ---
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: WebhookReceiver
                metadata: {name: alice, labels: {type: tenant, namespace: alice}}
                spec: {webhookConfigSelector: {}}
                """
                    .formatted(port),
                "file")
            .objects());
    assertThat(manager.problems())
        .anySatisfy(
            p -> assertThat(p.toString()).contains("WebhookConfig/hook: spec.url: egress denied"));
    DeliveryOutcome o = manager.submit(alertIn("alice")).allOutcomes().join().get(0);
    assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.EGRESS_DENIED);
    assertThat(o.lastFailure().retryable()).isFalse();
    assertThat(o.lastFailure().detail()).contains("egress denied: 127.0.0.1 is loopback");
    assertThat(attacker.getRequestCount()).isZero();
  }

  @Test
  void anAdminConfigOnLoopbackStillDeliversAndCarriesTheOriginMark() throws Exception {
    manager(EgressPolicy.tenantDefault());
    store.putAll(
        Manifests.parse(
                """
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: WebhookConfig
                metadata: {name: hook, labels: {type: default}}
                spec: {url: "http://127.0.0.1:%d/admin"}
                ---
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: WebhookReceiver
                metadata: {name: ops, labels: {type: global}}
                spec: {}
                """
                    .formatted(attacker.getPort()),
                "file")
            .objects());
    attacker.enqueue(new MockResponse.Builder().code(200).build());
    DeliveryOutcome o = manager.submit(alertIn("x")).allOutcomes().join().get(0);
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    RecordedRequest got = attacker.takeRequest(5, TimeUnit.SECONDS);
    String mark = got.getHeaders().get(SendRequest.ORIGIN_HEADER);
    assertThat(got.getHeaders().values(SendRequest.ORIGIN_HEADER))
        .containsExactly(manager.origin());
    // what a host's intake asks before accepting a batch that came back
    assertThat(manager.isOwnOrigin(mark)).isTrue();
  }

  @Test
  void anEndpointEchoingTheTokenPutsItIntoNoOutput() throws Exception {
    String token = "alice-value-9012";
    admin.create(alice, "secrets", object(secret("alice-token", token)));
    admin.create(alice, "webhookconfigs", object(config("echo", attackerUrl(), "alice-token")));
    admin.create(alice, "webhookreceivers", object(receiver("alice")));
    MockResponse echo =
        new MockResponse.Builder()
            .code(401)
            .status("HTTP/1.1 401 Bearer " + token + " is not accepted")
            .body("{\"got\":\"Bearer " + token + "\"}")
            .build();
    attacker.enqueue(echo);
    attacker.enqueue(echo);
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    VerifyResult verify;
    DeliveryOutcome o;
    try {
      o = manager.submit(alertIn("alice")).allOutcomes().join().get(0);
      verify = admin.verify(alice, VerifyTarget.stored("WebhookReceiver", "alice"), null);
    } finally {
      System.setErr(original);
    }
    assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.AUTH_REJECTED);
    assertThat(o.lastFailure().detail()).contains("HTTP 401 Bearer [redacted] is not accepted");
    assertThat(verify.detail()).contains("HTTP 401 Bearer [redacted] is not accepted");
    assertThat(o.toString()).doesNotContain(token);
    assertThat(verify.toString()).doesNotContain(token);
    assertThat(manager.history().query(DeliveryHistory.Query.all()).toString())
        .doesNotContain(token);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("[redacted]").doesNotContain(token);
  }
}
