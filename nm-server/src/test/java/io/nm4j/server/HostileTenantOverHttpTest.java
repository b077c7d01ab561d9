package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.server.internal.ServeCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant boundary against a hostile tenant, over HTTP against the real server as {@code nm4j
 * serve} starts it: a directory configuration, an admin and two tenants (namespace tenancy: alice
 * holds {@code ns:alice}, bob {@code ns:bob}) with bearer tokens, an attacker's endpoint on
 * 127.0.0.2 (which tenants may reach: {@code --egress-allow 127.0.0.2/32}) recording everything it
 * receives, and a victim service on 127.0.0.1 (loopback, which tenants may not reach). Each attack
 * fails, and the test says how it is answered. No reply of any test carries the path of the
 * server's directories.
 */
class HostileTenantOverHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/kapis/notification.kubesphere.io/v2alpha1/";
  private static final String ADMIN = "admin-token-31c9f0";
  private static final String ALICE = "alice-token-7be204";
  private static final String BOB = "bob-token-d51a88";
  private static final String ADMIN_VALUE = "admin-value-83c1e6d2";
  private static final String ALICE_VALUE = "alice-value-c07d41aa";
  private static final String BOB_VALUE = "bob-value-5a9f02b7";
  private static final int MAX_OBJECTS = 12;
  private static final int MAX_BYTES = 65_536;

  @TempDir Path tmp;
  private Path config;
  private Path tokens;
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> replies = new CopyOnWriteArrayList<>();
  private final MockWebServer attacker = new MockWebServer();
  private final MockWebServer victim = new MockWebServer();
  private volatile Function<RecordedRequest, MockResponse> attackerAnswer =
      r -> new MockResponse.Builder().code(200).body("ok").build();
  private LogCapture logs;
  private ServeCommand.Running serve;

  @BeforeEach
  void start() throws Exception {
    attacker.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return attackerAnswer.apply(request);
          }
        });
    attacker.start(InetAddress.getByName("127.0.0.2"), 0);
    victim.start(InetAddress.getByName("127.0.0.1"), 0);
    config = Files.createDirectory(tmp.resolve("config"));
    tokens =
        Files.writeString(
            Files.createDirectory(tmp.resolve("etc")).resolve("tokens.csv"),
            ADMIN + ",root,nm-admins\n" + ALICE + ",alice,ns:alice\n" + BOB + ",bob,ns:bob\n");
    logs = new LogCapture();
    serve =
        InProcessServe.start(
            InProcessServe.options(
                config,
                tmp.resolve("data"),
                "--auth-tokens",
                tokens.toString(),
                "--egress-allow",
                "127.0.0.2/32",
                "--tenant-max-objects",
                String.valueOf(MAX_OBJECTS),
                "--tenant-max-bytes",
                String.valueOf(MAX_BYTES),
                "--send-timeout",
                "5s",
                "--drain-timeout",
                "0s"));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      serve.close();
    } finally {
      logs.close();
      attacker.close();
      victim.close();
    }
    List<String> paths = List.of(tmp.toString(), tmp.toRealPath().toString());
    for (String reply : replies) {
      for (String path : paths) {
        assertThat(reply).as("a reply holding the server's paths").doesNotContain(path);
      }
    }
  }

  private int adminPort() {
    return serve.server().adminAddress().getPort();
  }

  private int intakePort() {
    return serve.server().address().getPort();
  }

  private HttpResponse<String> call(
      int port,
      String method,
      String path,
      @Nullable String token,
      @Nullable String contentType,
      @Nullable String body,
      String... headers)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            Requests.to(port, method, path, token, contentType, body, headers),
            HttpResponse.BodyHandlers.ofString());
    replies.add(r.statusCode() + " " + r.headers().map() + " " + r.body());
    return r;
  }

  /** An admin API call with a JSON body. */
  private HttpResponse<String> api(String token, String method, String path, @Nullable String json)
      throws IOException, InterruptedException {
    return call(
        adminPort(), method, API + path, token, json == null ? null : "application/json", json);
  }

  private HttpResponse<String> apiYaml(String token, String path, String yaml)
      throws IOException, InterruptedException {
    return call(adminPort(), "POST", API + path, token, "application/yaml", yaml);
  }

  private JsonNode created(String token, String resource, String json) throws Exception {
    HttpResponse<String> r = api(token, "POST", resource, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> verify(String token, String body) throws Exception {
    return call(adminPort(), "POST", API + "verify", token, "application/json", body);
  }

  private HttpResponse<String> postAlerts(String body, String... headers) throws Exception {
    return call(intakePort(), "POST", "/api/v2/alerts", null, "application/json", body, headers);
  }

  private String explain(String token, String body) throws Exception {
    return call(intakePort(), "POST", "/api/v2/explain", token, "application/json", body).body();
  }

  private JsonNode deliveries(String token, String receiver) throws Exception {
    return JSON.readTree(
        call(intakePort(), "GET", "/api/v2/deliveries?receiver=" + receiver, token, null, null)
            .body());
  }

  private String metrics() throws Exception {
    return call(intakePort(), "GET", "/metrics", null, null, null).body();
  }

  private static double metric(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** One firing alert of {@code namespace}; {@code id} makes it a batch of its own. */
  private static String alert(@Nullable String namespace, String id) {
    String ns = namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"";
    return """
        {"version":"4","status":"firing","receiver":"nm4j","groupKey":"%1$s","alerts":[
         {"status":"firing","labels":{"alertname":"Probe","id":"%1$s"%2$s},"annotations":{},
          "startsAt":"2026-11-25T10:00:00Z","fingerprint":"%1$s"}]}
        """
        .formatted(id, ns);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String secret(String name, String value) {
    return """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s"},"data":{"token":"%s"}}"""
        .formatted(name, base64(value));
  }

  private static String webhookConfig(String name, String url, @Nullable String tokenSecret) {
    String auth =
        tokenSecret == null
            ? ""
            : ",\"httpConfig\":{\"bearerToken\":{\"name\":\"%s\",\"key\":\"token\"}}"
                .formatted(tokenSecret);
    return """
        {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"WebhookConfig",
         "metadata":{"name":"%s"},"spec":{"url":"%s"%s}}"""
        .formatted(name, url, auth);
  }

  /** A webhook receiver choosing among its owner's configs. */
  private static String webhookReceiver(String name) {
    return """
        {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"WebhookReceiver",
         "metadata":{"name":"%s"},"spec":{"webhookConfigSelector":{}}}"""
        .formatted(name);
  }

  private static String globalReceiver(String name) {
    return webhookReceiver(name)
        .replace(
            "\"name\":\"" + name + "\"",
            "\"name\":\"" + name + "\",\"labels\":{\"type\":\"global\"}");
  }

  private String attackerUrl(String path) {
    return "http://127.0.0.2:" + attacker.getPort() + path;
  }

  /** Waits until {@code token}'s explain of an alert of {@code namespace} routes as given. */
  private void awaitRoute(String token, String namespace, String receiver, String configRef) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String e = explain(token, alert(namespace, "probe"));
              return e.contains("\"receiver\":\"" + receiver + "\"")
                  && e.contains("\"config\":\"" + configRef + "\"");
            });
  }

  /** Waits for a record of {@code receiver} with {@code status}, as {@code token} sees them. */
  private JsonNode awaitDelivery(String token, String receiver, String status) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (JsonNode r : deliveries(token, receiver)) {
                if (r.path("status").asText().equals(status)) {
                  found[0] = r;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private static List<String> causeFields(HttpResponse<String> r) throws IOException {
    List<String> fields = new ArrayList<>();
    JSON.readTree(r.body())
        .at("/details/causes")
        .forEach(c -> fields.add(c.path("field").asText()));
    return fields;
  }

  @Nested
  class TestSendsWithInlineConfigs {
    @Test
    void aTenantsInlineConfigNamingTheAdminsOrBobsSecretSendsNothingOfTheirs() throws Exception {
      created(ADMIN, "secrets", secret("admin-token", ADMIN_VALUE));
      created(BOB, "secrets", secret("bob-token", BOB_VALUE));

      for (String stolen : List.of("admin-token", "bob-token")) {
        HttpResponse<String> r =
            verify(
                ALICE,
                "{\"receiver\":"
                    + webhookReceiver("alice-try")
                    + ",\"config\":"
                    + webhookConfig("steal", attackerUrl("/steal"), stolen)
                    + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(causeFields(r)).contains("spec.httpConfig.bearerToken");
        assertThat(r.body())
            .contains("secret \\\"" + stolen + "\\\" not found among tenant alice's secrets")
            .doesNotContain(ADMIN_VALUE, BOB_VALUE);
      }
      assertThat(attacker.getRequestCount()).isZero();

      // Her own secret goes where she says: the ownership rule is what stopped her above.
      created(ALICE, "secrets", secret("alice-token", ALICE_VALUE));
      HttpResponse<String> own =
          verify(
              ALICE,
              "{\"receiver\":"
                  + webhookReceiver("alice-try")
                  + ",\"config\":"
                  + webhookConfig("own", attackerUrl("/own"), "alice-token")
                  + "}");
      assertThat(JSON.readTree(own.body()).path("delivered").asBoolean()).as(own.body()).isTrue();
      RecordedRequest got = attacker.takeRequest(5, TimeUnit.SECONDS);
      assertThat(got.getHeaders().get("Authorization")).isEqualTo("Bearer " + ALICE_VALUE);
      assertThat(attacker.getRequestCount()).isEqualTo(1);
    }
  }

  @Nested
  class SecretsResolvedAtSendTime {
    @Test
    void aDeletedSecretsNameTakenByBobNeverLendsHisValueToAlicesNextNotification()
        throws Exception {
      created(ALICE, "secrets", secret("shared-name", ALICE_VALUE));
      created(
          ALICE, "webhookconfigs", webhookConfig("alice-hook", attackerUrl("/a"), "shared-name"));
      created(ALICE, "webhookreceivers", webhookReceiver("alice"));
      awaitRoute(ALICE, "alice", "WebhookReceiver/alice", "WebhookConfig/alice-hook");
      assertThat(postAlerts(alert("alice", "first")).statusCode()).isEqualTo(200);
      RecordedRequest first = attacker.takeRequest(10, TimeUnit.SECONDS);
      assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + ALICE_VALUE);

      assertThat(api(ALICE, "DELETE", "secrets/shared-name", null).statusCode()).isEqualTo(200);
      created(BOB, "secrets", secret("shared-name", BOB_VALUE));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  explain(ALICE, alert("alice", "probe"))
                      .contains("secret \\\"shared-name\\\" not found among tenant alice's"));
      assertThat(postAlerts(alert("alice", "second")).statusCode()).isEqualTo(200);

      JsonNode dead = awaitDelivery(ALICE, "WebhookReceiver/alice", "DEAD_LETTER");
      assertThat(dead.path("reason").asText()).isEqualTo("MISSING_SECRET");
      assertThat(dead.path("detail").asText())
          .isEqualTo(
              "WebhookConfig/alice-hook: spec.httpConfig.bearerToken: secret \"shared-name\" not"
                  + " found among tenant alice's secrets");
      assertThat(attacker.getRequestCount()).isEqualTo(1);
    }
  }

  @Nested
  class Egress {
    @Test
    void tenantConfigsOnDeniedAddressesOrThisServersPortsAreRefusedAtWriteNamingTheField()
        throws Exception {
      int v = victim.getPort();
      List<String> urls =
          List.of(
              "http://127.0.0.1:" + v + "/",
              "http://[::1]:" + v + "/",
              "http://0.0.0.0:" + v + "/",
              "http://169.254.169.254/latest/meta-data/",
              "http://localhost:" + v + "/",
              "http://127.0.0.2:" + adminPort() + API + "secrets",
              "http://127.0.0.2:" + intakePort() + "/api/v2/alerts");
      for (String url : urls) {
        HttpResponse<String> r =
            api(ALICE, "POST", "webhookconfigs", webhookConfig("h", url, null));
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(422);
        assertThat(causeFields(r)).as(url).contains("spec.url");
        assertThat(r.body()).as(url).contains("egress denied for tenant alice");
      }
      assertThat(victim.getRequestCount()).isZero();
      // The admin's configs are not restricted unless the operator says so.
      created(
          ADMIN, "webhookconfigs", webhookConfig("internal", "http://127.0.0.1:" + v + "/", null));
    }

    @Test
    void aNameOfThisHostOnItsAdminPortPassesValidationAndIsRefusedWhenConnecting()
        throws Exception {
      String host = InetAddress.getLocalHost().getHostName();
      assertThat(InetAddress.getAllByName(host)).as("%s resolves", host).isNotEmpty();
      String url = "http://" + host + ":" + adminPort() + API + "secrets";
      created(ALICE, "webhookconfigs", webhookConfig("self", url, null));
      created(ALICE, "webhookreceivers", webhookReceiver("alice-self"));
      awaitRoute(ALICE, "alice", "WebhookReceiver/alice-self", "WebhookConfig/self");

      HttpResponse<String> tried =
          verify(ALICE, "{\"receiver\":{\"kind\":\"WebhookReceiver\",\"name\":\"alice-self\"}}");
      JsonNode result = JSON.readTree(tried.body());
      assertThat(result.path("delivered").asBoolean()).as(tried.body()).isFalse();
      assertThat(result.path("reason").asText()).isEqualTo("EGRESS_DENIED");
      assertThat(result.path("detail").asText())
          .contains("is a listener of this nm4j")
          .doesNotContain("401", "Unauthorized", "Status");

      assertThat(postAlerts(alert("alice", "self")).statusCode()).isEqualTo(200);
      JsonNode dead = awaitDelivery(ALICE, "WebhookReceiver/alice-self", "DEAD_LETTER");
      assertThat(dead.path("reason").asText()).isEqualTo("EGRESS_DENIED");
      assertThat(dead.path("detail").asText()).doesNotContain("401", "Unauthorized");
    }

    @Test
    void aConfigWrittenAroundTheApiIsReportedAndRefusedAgainAfterResolution() throws Exception {
      Files.writeString(
          config.resolve("alice-sneaky.yaml"),
          """
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookConfig
          metadata: {name: sneaky, labels: {type: tenant, namespace: alice}}
          spec: {url: "http://localhost:%d/internal"}
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookReceiver
          metadata: {name: alice-sneaky, labels: {type: tenant, namespace: alice}}
          spec: {webhookConfigSelector: {}}
          """
              .formatted(victim.getPort()));
      awaitRoute(ALICE, "alice", "WebhookReceiver/alice-sneaky", "WebhookConfig/sneaky");
      assertThat(explain(ADMIN, alert("alice", "probe")))
          .contains("\"object\":\"WebhookConfig/sneaky\",\"field\":\"spec.url\"")
          .contains("egress denied");

      assertThat(postAlerts(alert("alice", "sneaky")).statusCode()).isEqualTo(200);
      JsonNode dead = awaitDelivery(ADMIN, "WebhookReceiver/alice-sneaky", "DEAD_LETTER");
      assertThat(dead.path("reason").asText()).isEqualTo("EGRESS_DENIED");
      assertThat(dead.path("detail").asText()).contains("127.0.0.1 is loopback");
      assertThat(victim.getRequestCount()).isZero();
    }

    @Test
    void anEmailConfigOnAnotherKindOfServiceNeverShowsItsBanner() throws Exception {
      String banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3";
      try (SilentReceiver ssh = new SilentReceiver(InetAddress.getByName("127.0.0.2"), banner)) {
        created(ALICE, "secrets", secret("alice-smtp", ALICE_VALUE));
        created(
            ALICE,
            "emailconfigs",
            """
            {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"EmailConfig",
             "metadata":{"name":"probe"},"spec":{"from":"alerts@example.com",
             "smartHost":{"host":"%s","port":%d},"authUsername":"alice",
             "authPassword":{"name":"alice-smtp","key":"token"}}}"""
                .formatted(ssh.host(), ssh.port()));
        created(
            ALICE,
            "emailreceivers",
            """
            {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"EmailReceiver",
             "metadata":{"name":"alice-inbox"},
             "spec":{"to":["alice@example.com"],"emailConfigSelector":{}}}""");
        awaitRoute(ALICE, "alice", "EmailReceiver/alice-inbox", "EmailConfig/probe");

        HttpResponse<String> tried =
            verify(ALICE, "{\"receiver\":{\"kind\":\"EmailReceiver\",\"name\":\"alice-inbox\"}}");
        assertThat(JSON.readTree(tried.body()).path("delivered").asBoolean())
            .as(tried.body())
            .isFalse();
        assertThat(postAlerts(alert("alice", "banner")).statusCode()).isEqualTo(200);
        JsonNode failed = awaitDelivery(ALICE, "EmailReceiver/alice-inbox", "FAILED_ATTEMPT");

        assertThat(ssh.connections()).isPositive();
        for (String seen : List.of(tried.body(), failed.toString(), logs.text())) {
          assertThat(seen).doesNotContain("SSH-2.0", "OpenSSH");
        }
      }
    }

    @Test
    void aWebhookSentBackToThisIntakeThroughAForwardIsRefusedThereSoNoLoopForms() throws Exception {
      try (PortForward service =
          new PortForward(InetAddress.getByName("127.0.0.2"), serve.server().address())) {
        created(
            ALICE, "webhookconfigs", webhookConfig("loop", service.url("/api/v2/alerts"), null));
        created(ALICE, "webhookreceivers", webhookReceiver("alice-loop"));
        awaitRoute(ALICE, "alice", "WebhookReceiver/alice-loop", "WebhookConfig/loop");

        assertThat(postAlerts(alert("alice", "loop")).statusCode()).isEqualTo(200);

        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> metric(metrics(), "nm4j_intake_rejected_total{reason=\"loop\"}") >= 1);
        assertThat(service.connections()).isPositive();
        assertThat(metric(metrics(), "nm4j_intake_batches_total")).isEqualTo(1.0);
        JsonNode failed = awaitDelivery(ALICE, "WebhookReceiver/alice-loop", "FAILED_ATTEMPT");
        assertThat(failed.path("detail").asText()).contains("508");
        assertThat(logs.text()).contains("carrying this server's own X-Nm4j-Origin mark");
      }
    }

    @Test
    void aBatchCarryingThisServersMarkIs508AndTheSamePostWithoutItIsAccepted() throws Exception {
      String body = alert(null, "marked");
      HttpResponse<String> marked = postAlerts(body, "X-Nm4j-Origin", serve.manager().origin());
      assertThat(marked.statusCode()).isEqualTo(508);
      assertThat(marked.body()).contains("X-Nm4j-Origin");

      HttpResponse<String> unmarked = postAlerts(body);
      assertThat(unmarked.statusCode()).isEqualTo(200);
      assertThat(unmarked.body()).contains("\"status\":\"accepted\"");
      assertThat(postAlerts(alert(null, "other"), "X-Nm4j-Origin", "another-instance").statusCode())
          .isEqualTo(200);
      assertThat(metric(metrics(), "nm4j_intake_rejected_total{reason=\"loop\"}")).isEqualTo(1.0);
    }
  }

  @Nested
  class StoreAndQuotas {
    /** Receiver {@code deep} with an unknown field {@code spec.x} nested {@code depth} deep. */
    private static String nestedUnknownField(int depth) {
      return """
          {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"WebhookReceiver",
           "metadata":{"name":"deep"},"spec":{"x":%s1%s}}"""
          .formatted("{\"x\":".repeat(depth), "}".repeat(depth));
    }

    @Test
    void deeplyNestedBodiesAreRefusedAndNeverLeaveAGhostBehind() throws Exception {
      HttpResponse<String> deep = api(ALICE, "POST", "webhookreceivers", nestedUnknownField(200));
      assertThat(deep.statusCode()).as(deep.body()).isEqualTo(400);
      assertThat(deep.body()).contains("line 2");

      String brackets = "[".repeat(495_000) + "]".repeat(495_000);
      assertThat(api(ALICE, "POST", "webhookreceivers", brackets).statusCode()).isEqualTo(400);
      assertThat(apiYaml(ALICE, "webhookreceivers", brackets).statusCode()).isEqualTo(400);

      HttpResponse<String> unknown = api(ALICE, "POST", "webhookreceivers", nestedUnknownField(10));
      assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(422);
      assertThat(causeFields(unknown)).contains("spec.x");

      // nothing was stored under the name: it is free, and what is stored there now is readable
      assertThat(api(ALICE, "GET", "webhookreceivers/deep", null).statusCode()).isEqualTo(404);
      created(ALICE, "webhookreceivers", webhookReceiver("deep"));
      assertThat(api(ALICE, "GET", "webhookreceivers/deep", null).statusCode()).isEqualTo(200);
      assertThat(api(ALICE, "DELETE", "webhookreceivers/deep", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aNameOf253CharactersWorksEndToEnd() throws Exception {
      String name =
          String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
      assertThat(name).hasSize(253);
      JsonNode stored = created(ALICE, "webhookreceivers", webhookReceiver(name));
      created(ALICE, "webhookconfigs", webhookConfig("long-hook", attackerUrl("/long"), null));
      assertThat(api(ALICE, "GET", "webhookreceivers/" + name, null).statusCode()).isEqualTo(200);
      assertThat(api(ALICE, "GET", "webhookreceivers", null).body()).contains(name);
      String update =
          webhookReceiver(name)
              .replace(
                  "\"name\":\"" + name + "\"",
                  "\"name\":\""
                      + name
                      + "\",\"resourceVersion\":\""
                      + stored.at("/metadata/resourceVersion").asText()
                      + "\"");
      assertThat(api(ALICE, "PUT", "webhookreceivers/" + name, update).statusCode()).isEqualTo(200);
      awaitRoute(ALICE, "alice", "WebhookReceiver/" + name, "WebhookConfig/long-hook");
      assertThat(postAlerts(alert("alice", "long")).statusCode()).isEqualTo(200);
      assertThat(attacker.takeRequest(10, TimeUnit.SECONDS).getTarget()).isEqualTo("/long");
      try (Stream<Path> files = Files.list(config)) {
        assertThat(files.map(f -> f.getFileName().toString().length())).allMatch(n -> n <= 200);
      }
      assertThat(api(ALICE, "DELETE", "webhookreceivers/" + name, null).statusCode())
          .isEqualTo(200);
      assertThat(api(ALICE, "GET", "webhookreceivers/" + name, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aTenantBeyondItsObjectOrByteQuotaGets403NamingTheLimit() throws Exception {
      for (int i = 0; i < MAX_OBJECTS; i++) {
        created(ALICE, "secrets", secret("s" + i, "value-" + i));
      }
      HttpResponse<String> over = api(ALICE, "POST", "secrets", secret("one-more", "v"));
      assertThat(over.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(over.body()).path("reason").asText()).isEqualTo("Forbidden");
      assertThat(over.body()).contains("the limit is " + MAX_OBJECTS);

      String thirtyKib = "x".repeat(30 * 1024);
      created(BOB, "secrets", secret("big-1", thirtyKib));
      HttpResponse<String> tooBig = api(BOB, "POST", "secrets", secret("big-2", thirtyKib));
      assertThat(tooBig.statusCode()).isEqualTo(403);
      assertThat(tooBig.body()).contains("the limit is " + MAX_BYTES + " bytes");

      // the admin is not limited
      created(ADMIN, "secrets", secret("admin-big", "y".repeat(MAX_BYTES)));
    }
  }

  @Nested
  class HotReload {
    @Test
    void afterRoundsOfParallelCreatesAndDeletesANewReceiverRoutesAndNoReadFailed()
        throws Exception {
      List<Integer> readCodes = new CopyOnWriteArrayList<>();
      AtomicBoolean churning = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(9);
      try {
        Future<?> reader =
            pool.submit(
                () -> {
                  while (churning.get()) {
                    readCodes.add(api(ADMIN, "GET", "webhookreceivers", null).statusCode());
                    readCodes.add(api(ALICE, "GET", "secrets", null).statusCode());
                    readCodes.add(api(ADMIN, "GET", "webhookreceivers/churn-0", null).statusCode());
                  }
                  return null;
                });
        for (int round = 0; round < 5; round++) {
          List<Future<List<Integer>>> writers = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            String n = "churn-" + i;
            writers.add(
                pool.submit(
                    () ->
                        List.of(
                            api(ADMIN, "POST", "webhookreceivers", globalReceiver(n)).statusCode(),
                            api(ALICE, "POST", "secrets", secret(n, "v")).statusCode(),
                            api(ADMIN, "DELETE", "webhookreceivers/" + n, null).statusCode(),
                            api(ALICE, "DELETE", "secrets/" + n, null).statusCode())));
          }
          for (Future<List<Integer>> w : writers) {
            assertThat(w.get(60, TimeUnit.SECONDS)).containsExactly(201, 201, 200, 200);
          }
        }
        churning.set(false);
        reader.get(60, TimeUnit.SECONDS);
      } finally {
        churning.set(false);
        pool.shutdownNow();
      }
      assertThat(readCodes).isNotEmpty().containsOnly(200, 404);

      created(
          ADMIN,
          "webhookconfigs",
          webhookConfig("after", attackerUrl("/after-churn"), null)
              .replace(
                  "\"name\":\"after\"", "\"name\":\"after\",\"labels\":{\"type\":\"default\"}"));
      created(ADMIN, "webhookreceivers", globalReceiver("after-churn"));
      awaitRoute(ADMIN, "anywhere", "WebhookReceiver/after-churn", "WebhookConfig/after");
      assertThat(postAlerts(alert(null, "after-churn")).statusCode()).isEqualTo(200);
      assertThat(attacker.takeRequest(20, TimeUnit.SECONDS).getTarget()).isEqualTo("/after-churn");
    }
  }

  @Nested
  class SecretsInOutputs {
    @Test
    void aSecretFileWithASyntaxErrorShowsNoValueInExplainOrTheLog() throws Exception {
      String value = "broken-value-6e0b2c9d";
      Files.writeString(
          config.resolve("broken-secret.yaml"),
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: broken}
          stringData:
            token: "%s
            other: [unclosed
          """
              .formatted(value));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> explain(ADMIN, alert(null, "probe")).contains("broken-secret.yaml"));
      assertThat(explain(ADMIN, alert(null, "probe"))).doesNotContain(value);
      assertThat(logs.text()).contains("broken-secret.yaml").doesNotContain(value);
    }

    @Test
    void aRemoteEchoingTheTokenGetsItIntoNoReplyAndNoLogLine() throws Exception {
      attackerAnswer =
          r -> {
            String auth = String.valueOf(r.getHeaders().get("Authorization"));
            return new MockResponse.Builder()
                .status("HTTP/1.1 400 Bad Request, you sent " + auth)
                .body("{\"error\":\"you sent " + auth + " (" + base64(auth) + ")\"}")
                .build();
          };
      created(ALICE, "secrets", secret("alice-token", ALICE_VALUE));
      created(ALICE, "webhookconfigs", webhookConfig("echo", attackerUrl("/echo"), "alice-token"));
      created(ALICE, "webhookreceivers", webhookReceiver("alice-echo"));
      awaitRoute(ALICE, "alice", "WebhookReceiver/alice-echo", "WebhookConfig/echo");

      assertThat(postAlerts(alert("alice", "echo")).statusCode()).isEqualTo(200);
      JsonNode dead = awaitDelivery(ALICE, "WebhookReceiver/alice-echo", "DEAD_LETTER");
      assertThat(dead.path("detail").asText()).contains("400");
      HttpResponse<String> tried =
          verify(ALICE, "{\"receiver\":{\"kind\":\"WebhookReceiver\",\"name\":\"alice-echo\"}}");
      assertThat(JSON.readTree(tried.body()).path("delivered").asBoolean()).isFalse();
      assertThat(attacker.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
          .as("the endpoint did receive the token it echoes")
          .isEqualTo("Bearer " + ALICE_VALUE);

      List<String> outputs =
          List.of(
              tried.body(),
              deliveries(ALICE, "WebhookReceiver/alice-echo").toString(),
              deliveries(ADMIN, "WebhookReceiver/alice-echo").toString(),
              explain(ALICE, alert("alice", "probe")),
              explain(ADMIN, alert("alice", "probe")),
              api(ALICE, "GET", "secrets/alice-token", null).body(),
              api(ALICE, "GET", "secrets", null).body(),
              api(ADMIN, "GET", "secrets", null).body(),
              api(ALICE, "GET", "webhookconfigs/echo", null).body(),
              metrics(),
              logs.text());
      for (String output : outputs) {
        assertThat(output).doesNotContain(ALICE_VALUE).doesNotContain(base64(ALICE_VALUE));
      }
    }
  }

  @Nested
  class AuthenticationFilesAndAudit {
    @Test
    void aDeletedOrMalformedTokenFileRevokesEveryTokenWithinTwoSeconds() throws Exception {
      String original = Files.readString(tokens);
      assertThat(api(ADMIN, "GET", "secrets", null).statusCode()).isEqualTo(200);
      assertThat(api(ALICE, "GET", "secrets", null).statusCode()).isEqualTo(200);

      Files.delete(tokens);
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  api(ADMIN, "GET", "secrets", null).statusCode() == 401
                      && api(ALICE, "GET", "secrets", null).statusCode() == 401);

      Files.writeString(tokens, original);
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> api(ADMIN, "GET", "secrets", null).statusCode() == 200);

      Files.writeString(tokens, original + "no-user-on-this-line\n");
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  api(ADMIN, "GET", "secrets", null).statusCode() == 401
                      && api(BOB, "GET", "secrets", null).statusCode() == 401);
      assertThat(logs.lines())
          .anySatisfy(l -> assertThat(l).contains("ERROR").contains("line 4"))
          .noneMatch(l -> l.contains(ADMIN) || l.contains(ALICE) || l.contains("no-user-on"));
    }

    @Test
    void secretsAndStoredObjectsAreWrittenForTheOwnerOnly() throws Exception {
      created(ALICE, "secrets", secret("alice-token", ALICE_VALUE));
      created(ALICE, "webhookreceivers", webhookReceiver("alice-perm"));
      try (Stream<Path> files = Files.list(config)) {
        List<Path> written =
            files
                .filter(
                    f ->
                        f.getFileName().toString().contains("alice-token")
                            || f.getFileName().toString().contains("alice-perm"))
                .toList();
        assertThat(written).hasSize(2);
        for (Path f : written) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
              .as(f.getFileName().toString())
              .isEqualTo("rw-------");
        }
      }
    }

    @Test
    void aTakenNameTellsAnotherTenantThatItIsTakenAndNothingMore() throws Exception {
      created(ALICE, "webhookreceivers", webhookReceiver("pager"));
      HttpResponse<String> taken = api(BOB, "POST", "webhookreceivers", webhookReceiver("pager"));
      assertThat(taken.statusCode()).isEqualTo(409);
      assertThat(JSON.readTree(taken.body()).path("reason").asText()).isEqualTo("AlreadyExists");
      assertThat(taken.body()).contains("already exists").doesNotContain("alice", "tenant\"");
      assertThat(api(BOB, "GET", "webhookreceivers/pager", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aLineBreakInANameCannotForgeAnAuditLine() throws Exception {
      String forged =
          "audit user=root tenants=* remote=10.0.0.1:1 verb=delete object=secrets/admin code=200"
              + " outcome=ok";
      HttpResponse<String> viaPath =
          api(ALICE, "DELETE", "secrets/x%0A" + forged.replace(" ", "%20"), null);
      assertThat(viaPath.statusCode()).isIn(400, 404);
      HttpResponse<String> viaBody =
          api(ALICE, "POST", "webhookreceivers", webhookReceiver("x\\n" + forged));
      assertThat(viaBody.statusCode()).isEqualTo(400);
      HttpResponse<String> viaTestSend =
          verify(
              ALICE,
              "{\"receiver\":{\"kind\":\"WebhookReceiver\",\"name\":\"x\\n" + forged + "\"}}");
      assertThat(viaTestSend.statusCode()).isEqualTo(404);

      List<String> audit = logs.lines().stream().filter(l -> l.contains("io.nm4j.audit")).toList();
      assertThat(audit)
          .isNotEmpty()
          .allSatisfy(
              l ->
                  assertThat(l)
                      .containsPattern(
                          "io\\.nm4j\\.audit - audit user=alice tenants=alice"
                              + " remote=127\\.0\\.0\\.1:\\d+ verb="))
          .anySatisfy(l -> assertThat(l).contains("\\naudit user=root"));
      assertThat(logs.lines()).noneMatch(l -> l.startsWith("audit"));
    }

    @Test
    void anchorsAliasesMergeKeysAndDuplicateKeysAreRefusedInAdminAndTestSendBodies()
        throws Exception {
      String head = "apiVersion: notification.kubesphere.io/v1alpha1\nkind: WebhookReceiver\n";
      List<String> objects =
          List.of(
              head + "metadata: &m {name: alias}\nspec: *m\n",
              head + "metadata: {name: merge}\nspec: {<<: {webhookConfigSelector: {}}}\n",
              head + "metadata: {name: dup, name: other}\nspec: {}\n");
      for (String yaml : objects) {
        HttpResponse<String> r = apiYaml(ALICE, "webhookreceivers", yaml);
        assertThat(r.statusCode()).as(yaml).isEqualTo(400);
        assertThat(r.body()).as(yaml).containsPattern("line \\d+, column \\d+");
      }
      HttpResponse<String> json =
          api(
              ALICE,
              "POST",
              "webhookreceivers",
              webhookReceiver("dup")
                  .replace("{\"name\":\"dup\"}", "{\"name\":\"dup\",\"name\":\"b\"}"));
      assertThat(json.statusCode()).isEqualTo(400);
      assertThat(json.body()).contains("duplicate key");
      for (String name : List.of("alias", "merge", "dup", "other")) {
        assertThat(api(ALICE, "GET", "webhookreceivers/" + name, null).statusCode()).isEqualTo(404);
      }

      List<String> verifyBodies =
          List.of(
              "r: &r {kind: WebhookReceiver, name: a}\nreceiver: *r\n",
              "receiver: {<<: {kind: WebhookReceiver}, name: a}\n",
              "receiver: {kind: WebhookReceiver, name: a, name: b}\n");
      for (String body : verifyBodies) {
        HttpResponse<String> r =
            call(adminPort(), "POST", API + "verify", ALICE, "application/yaml", body);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        assertThat(r.body()).as(body).containsPattern("line \\d+, column \\d+");
      }
    }
  }
}
