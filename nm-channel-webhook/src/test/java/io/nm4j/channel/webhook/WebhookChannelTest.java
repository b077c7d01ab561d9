package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
  private final WebhookChannelProvider provider = new WebhookChannelProvider();
  private final MockWebServer server = new MockWebServer();
  private WebhookChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel =
        (WebhookChannel)
            provider.channel(new ChannelContext(Map.of(), Clock.systemUTC())).orElseThrow();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private WebhookConfig config(Map<String, Object> spec) {
    return provider.parseConfig(SpecReader.of(spec, "kubesphere-monitoring-system")).value();
  }

  private static Notification notification(List<Alert> alerts, AlertBatch batch) {
    return new Notification(
        "n1",
        new ObjectRef("WebhookReceiver", "payments-webhook"),
        Scope.TENANT,
        "payments",
        new ObjectRef("WebhookConfig", "payments-webhook"),
        alerts,
        batch);
  }

  private SendResult send(Notification n, WebhookConfig config, Map<String, Secret> secrets) {
    return channel.send(
        new SendRequest<>(
            n, new WebhookReceiver(null), config, secrets, Instant.now().plusSeconds(10)));
  }

  private RecordedRequest sendFixture(String resource) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    AlertBatch batch = Fixtures.batch(Fixtures.json(resource));
    SendResult r =
        send(
            notification(batch.alerts(), batch),
            config(Map.of("url", server.url("/alerts").toString())),
            Map.of());
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    return server.takeRequest();
  }

  private static JsonNode body(RecordedRequest r) throws Exception {
    return Fixtures.JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
  }

  @Test
  void postsAlertmanagersV4JsonAsAlertmanagerItselfSendsIt() throws Exception {
    RecordedRequest r = sendFixture("firing-single.json");
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/alerts");
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    ObjectNode expected = (ObjectNode) Fixtures.json("firing-single.json");
    expected.put("receiver", "payments-webhook");
    assertThat(body(r)).isEqualTo(expected);
  }

  @Test
  void mixedGroupKeepsEachAlertsStatusAndEndsAt() throws Exception {
    ObjectNode expected = (ObjectNode) Fixtures.json("mixed-firing-resolved.json");
    expected.put("receiver", "payments-webhook");
    assertThat(body(sendFixture("mixed-firing-resolved.json"))).isEqualTo(expected);
  }

  @Test
  void commonLabelsAndStatusAreComputedOverThisNotificationsAlertsOnly() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    Alert a =
        new Alert(
            io.nm4j.spi.AlertStatus.RESOLVED,
            Map.of("alertname", "Down", "namespace", "payments", "pod", "a"),
            Map.of("summary", "same"),
            Instant.parse("2026-11-24T10:00:00.5Z"),
            Instant.parse("2026-11-24T10:05:00Z"),
            "",
            "fa");
    Alert b =
        new Alert(
            io.nm4j.spi.AlertStatus.RESOLVED,
            Map.of("alertname", "Down", "namespace", "payments", "pod", "b"),
            Map.of("summary", "same"),
            Instant.parse("2026-11-24T10:00:00Z"),
            Instant.parse("2026-11-24T10:06:00Z"),
            "",
            "fb");
    Alert other = Alert.firing(Map.of("alertname", "Down", "namespace", "shop"));
    AlertBatch batch =
        new AlertBatch(
            "nm4j",
            io.nm4j.spi.AlertStatus.FIRING,
            List.of(a, b, other),
            Map.of("alertname", "Down"),
            Map.of("alertname", "Down"),
            Map.of(),
            "http://am",
            "{}:{alertname=\"Down\"}",
            2);
    SendResult result =
        send(
            notification(List.of(a, b), batch),
            config(Map.of("url", server.url("/x").toString())),
            Map.of());
    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    JsonNode body = body(server.takeRequest());
    assertThat(body.get("status").asText()).isEqualTo("resolved");
    assertThat(body.get("alerts")).hasSize(2);
    assertThat(body.get("commonLabels"))
        .isEqualTo(Fixtures.JSON.valueToTree(Map.of("alertname", "Down", "namespace", "payments")));
    assertThat(body.get("commonAnnotations"))
        .isEqualTo(Fixtures.JSON.valueToTree(Map.of("summary", "same")));
    assertThat(body.get("groupLabels"))
        .isEqualTo(Fixtures.JSON.valueToTree(Map.of("alertname", "Down")));
    assertThat(body.get("alerts").get(0).get("startsAt").asText())
        .isEqualTo("2026-11-24T10:00:00.5Z");
    assertThat(body.get("version").asText()).isEqualTo("4");
    assertThat(body.get("truncatedAlerts").asInt()).isEqualTo(2);
    assertThat(body.get("externalURL").asText()).isEqualTo("http://am");
    assertThat(body.get("groupKey").asText()).isEqualTo("{}:{alertname=\"Down\"}");
  }

  @Test
  void firingAlertWithoutEndCarriesGoZeroTime() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Alert a = Alert.firing(Map.of("alertname", "X"));
    send(
        notification(List.of(a), AlertBatch.of(List.of(a))),
        config(Map.of("url", server.url("/x").toString())),
        Map.of());
    JsonNode alert = body(server.takeRequest()).get("alerts").get(0);
    assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(alert.get("status").asText()).isEqualTo("firing");
  }

  @Test
  void serviceTargetPostsToNameNamespaceSvcPortPath() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    WebhookConfig config =
        config(
            Map.of(
                "service",
                Map.of(
                    "namespace", "payments-infra",
                    "name", "alert-gateway",
                    "path", "/v1/alerts",
                    "port", "8443"),
                "httpConfig",
                Map.of("proxyUrl", "http://127.0.0.1:" + server.getPort())));
    assertThat(config.targetUrl())
        .isEqualTo("http://alert-gateway.payments-infra.svc:8443/v1/alerts");
    Alert a = Alert.firing(Map.of("alertname", "X"));
    SendResult r = send(notification(List.of(a), AlertBatch.of(List.of(a))), config, Map.of());
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getTarget())
        .isEqualTo("http://alert-gateway.payments-infra.svc:8443/v1/alerts");
  }

  @Test
  void serviceDefaultsToHttpOnPort443() {
    WebhookConfig config = config(Map.of("service", Map.of("namespace", "ns", "name", "svc")));
    assertThat(config.targetUrl()).isEqualTo("http://svc.ns.svc:443");
  }

  private WebhookConfig bearerConfig() {
    return config(
        Map.of(
            "url",
            server.url("/x").toString(),
            "httpConfig",
            Map.of("bearerToken", Map.of("name", "s", "key", "token"))));
  }

  private SendResult sendWithBearer(Secret token) {
    return sendWithBearer(bearerConfig(), token);
  }

  private SendResult sendWithBearer(WebhookConfig config, Secret token) {
    Alert a = Alert.firing(Map.of("alertname", "X"));
    return send(
        notification(List.of(a), AlertBatch.of(List.of(a))),
        config,
        Map.of(WebhookConfig.BEARER_TOKEN, token));
  }

  private SendResult sendUnder(EgressPolicy egress, WebhookConfig config) {
    Alert a = Alert.firing(Map.of("alertname", "X"));
    return channel.send(
        new SendRequest<>(
            notification(List.of(a), AlertBatch.of(List.of(a))),
            new WebhookReceiver(null),
            config,
            Map.of(),
            Instant.now().plusSeconds(10),
            egress,
            "",
            SendProgress.NONE));
  }

  @Test
  void bearerTokenIsSentWithTheBearerPrefix() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    sendWithBearer(Secret.of("bearer-fixture"));
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer bearer-fixture");
  }

  @Test
  void aRotatedBearerTokenIsSentFromTheNextSendOnWithTheSameConfig() throws Exception {
    WebhookConfig config = bearerConfig();
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    sendWithBearer(config, Secret.of("before-rotation"));
    sendWithBearer(config, Secret.of("after-rotation"));

    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer before-rotation");
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer after-rotation");
  }

  @Test
  void aConfigThatSentUnderOneEgressPolicyIsCheckedAgainstTheNextSendsPolicy() {
    WebhookConfig config = config(Map.of("url", server.url("/x").toString()));
    server.enqueue(new MockResponse.Builder().code(200).build());

    SendResult allowed = sendUnder(EgressPolicy.UNRESTRICTED, config);
    SendResult denied = sendUnder(EgressPolicy.tenantDefault(), config);

    assertThat(allowed).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Failed) denied).reason()).isEqualTo(SendResult.Reason.EGRESS_DENIED);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aTokenWithATrailingNewlineIsSentWithoutIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    assertThat(sendWithBearer(Secret.of("bearer-fixture\n")))
        .isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer bearer-fixture");
  }

  @Test
  void aTokenNoHeaderCanCarryIsPermanentNamingTheFieldNotTheValue() {
    SendResult.Failed r = (SendResult.Failed) sendWithBearer(Secret.of("bearer\nfixture"));
    assertThat(r.reason()).isEqualTo(SendResult.Reason.REJECTED);
    assertThat(r.retryable()).isFalse();
    assertThat(r.detail())
        .startsWith("WebhookConfig/payments-webhook: spec.httpConfig.bearerToken: the token holds")
        .doesNotContain("bearer\nfixture")
        .doesNotContain("fixture");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRedirectIsNotFollowedSoThePostIsNeverReplayedAsAGet() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(301)
            .addHeader("Location", server.url("/login?session=fixture").toString())
            .build());
    server.enqueue(new MockResponse.Builder().code(200).body("<html>login</html>").build());
    SendResult.Failed r = (SendResult.Failed) sendWithBearer(Secret.of("bearer-fixture"));
    assertThat(r.reason()).isEqualTo(SendResult.Reason.REJECTED);
    assertThat(r.retryable()).isFalse();
    assertThat(r.detail())
        .contains("HTTP 301")
        .contains("redirect to " + server.url("/login") + " not followed")
        .doesNotContain("session=fixture");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void basicAuthWithoutAPasswordSendsTheUserWithAnEmptyPassword() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    WebhookConfig config =
        config(
            Map.of(
                "url",
                server.url("/x").toString(),
                "httpConfig",
                Map.of("basicAuth", Map.of("username", "nm4j"))));
    assertThat(config.secretRefs()).isEmpty();
    Alert a = Alert.firing(Map.of("alertname", "X"));

    SendResult r = send(notification(List.of(a), AlertBatch.of(List.of(a))), config, Map.of());

    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo(
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString("nm4j:".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void missingSecretNamesFieldSecretAndKeyAndSendsNothing() {
    WebhookConfig config =
        config(
            Map.of(
                "url",
                server.url("/x").toString(),
                "httpConfig",
                Map.of(
                    "basicAuth",
                    Map.of(
                        "username",
                        "nm4j",
                        "password",
                        Map.of("name", "hook-secret", "key", "pw")))));
    Alert a = Alert.firing(Map.of("alertname", "X"));
    SendResult.Failed r =
        (SendResult.Failed)
            send(notification(List.of(a), AlertBatch.of(List.of(a))), config, Map.of());
    assertThat(r.reason()).isEqualTo(SendResult.Reason.MISSING_SECRET);
    assertThat(r.retryable()).isFalse();
    assertThat(r.detail())
        .contains("WebhookConfig/payments-webhook")
        .contains("spec.httpConfig.basicAuth.password")
        .contains("hook-secret")
        .contains("pw");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void everyValidFixtureParsesWithSecretRefsByFieldPath() {
    for (Map<String, Object> doc : Fixtures.yamlDocuments("manifests/webhook.yaml")) {
      SpecReader spec = SpecReader.of(Fixtures.spec(doc), "kubesphere-monitoring-system");
      boolean valid =
          "WebhookConfig".equals(doc.get("kind"))
              ? provider.parseConfig(spec).isValid()
              : provider.parseReceiver(spec).isValid();
      assertThat(valid).as(doc.get("kind") + "/" + Fixtures.name(doc)).isTrue();
    }
    Map<String, Object> payments =
        Fixtures.spec(Fixtures.yamlDocuments("manifests/webhook.yaml").get(1));
    WebhookConfig config = config(payments);
    assertThat(config.secretRefs().keySet())
        .containsExactly(
            "spec.httpConfig.basicAuth.password",
            "spec.httpConfig.tlsConfig.ca",
            "spec.httpConfig.tlsConfig.cert",
            "spec.httpConfig.tlsConfig.key");
    assertThat(config.targetUrl())
        .isEqualTo("https://alert-gateway.payments-infra.svc:8443/v1/alerts");
    assertThat(config.httpConfig().tlsConfig().serverName())
        .isEqualTo("alert-gateway.payments-infra.svc");
  }

  @Test
  void receiverSelectorIsTheConfigSelector() {
    WebhookReceiver r =
        provider
            .parseReceiver(
                SpecReader.of(
                    Map.of("webhookConfigSelector", Map.of("matchLabels", Map.of("a", "b"))), "ns"))
            .value();
    assertThat(r.configSelector()).isNotNull().isEqualTo(r.webhookConfigSelector());
    assertThat(provider.parseReceiver(SpecReader.of(Map.of(), "ns")).value().configSelector())
        .isNull();
  }

  @Test
  void providerIsFoundByServiceLoaderUnderItsKinds() {
    @SuppressWarnings("rawtypes")
    List<ChannelProvider> found =
        ServiceLoader.load(ChannelProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p instanceof WebhookChannelProvider)
            .toList();
    assertThat(found).hasSize(1);
    assertThat(provider.name()).isEqualTo("webhook");
    assertThat(provider.receiverKind()).isEqualTo("WebhookReceiver");
    assertThat(provider.configKind()).isEqualTo("WebhookConfig");
    assertThat(provider.selectorField()).isEqualTo("webhookConfigSelector");
  }
}
