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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's v2beta2 paths over HTTP against the server as {@code nm4j serve} starts it, with
 * the ownership rules of the per-channel kinds: a tenant (namespace tenancy: alice holds {@code
 * ns:alice}, bob {@code ns:bob}) manages only its own {@code receivers}, {@code configs} and {@code
 * silences}; routers, global receivers and silences and default configs are the admin's. Tenants
 * may reach 127.0.0.2 only ({@code --egress-allow 127.0.0.2/32}).
 */
class V2beta2AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V2BETA2 = "/kapis/notification.kubesphere.io/v2beta2/";
  private static final String V2ALPHA1 = "/kapis/notification.kubesphere.io/v2alpha1/";
  private static final String ADMIN = "admin-token-0c41d7";
  private static final String ALICE = "alice-token-93be0a";
  private static final String BOB = "bob-token-6f12c4";
  private static final String BOB_VALUE = "bob-value-2d8e51f0";

  @TempDir Path tmp;
  private final HttpClient client = HttpClient.newHttpClient();
  private final MockWebServer hooks = new MockWebServer();
  private ServeCommand.Running serve;

  @BeforeEach
  void start() throws Exception {
    hooks.start(InetAddress.getByName("127.0.0.2"), 0);
    Path config = Files.createDirectory(tmp.resolve("config"));
    Path tokens =
        Files.writeString(
            Files.createDirectory(tmp.resolve("etc")).resolve("tokens.csv"),
            ADMIN + ",root,nm-admins\n" + ALICE + ",alice,ns:alice\n" + BOB + ",bob,ns:bob\n");
    serve =
        InProcessServe.start(
            InProcessServe.options(
                config,
                tmp.resolve("data"),
                "--auth-tokens",
                tokens.toString(),
                "--egress-allow",
                "127.0.0.2/32",
                "--drain-timeout",
                "0s"));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      serve.close();
    } finally {
      hooks.close();
    }
  }

  private HttpResponse<String> call(String token, String method, String path, @Nullable String json)
      throws IOException, InterruptedException {
    return client.send(
        Requests.to(
            serve.server().adminAddress().getPort(),
            method,
            path,
            token,
            json == null ? null : "application/json",
            json),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> api(String token, String method, String path, @Nullable String json)
      throws IOException, InterruptedException {
    return call(token, method, V2BETA2 + path, json);
  }

  private JsonNode created(String token, String resource, String json) throws Exception {
    HttpResponse<String> r = api(token, "POST", resource, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  /** A {@code POST} answered with {@code status}. */
  private HttpResponse<String> posted(String token, String resource, String json, int status)
      throws Exception {
    HttpResponse<String> r = api(token, "POST", resource, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r;
  }

  private static List<String> names(HttpResponse<String> list) throws IOException {
    List<String> names = new ArrayList<>();
    JSON.readTree(list.body())
        .path("items")
        .forEach(i -> names.add(i.at("/metadata/name").asText()));
    return names;
  }

  private static List<String> causeFields(HttpResponse<String> r) throws IOException {
    List<String> fields = new ArrayList<>();
    JSON.readTree(r.body())
        .at("/details/causes")
        .forEach(c -> fields.add(c.path("field").asText()));
    return fields;
  }

  private static String object(String kind, String name, String labels, String spec) {
    return """
        {"apiVersion":"notification.kubesphere.io/v2beta2","kind":"%s",
         "metadata":{"name":"%s","labels":{%s}},"spec":%s}"""
        .formatted(kind, name, labels, spec);
  }

  private String hookReceiver(String name, String labels) {
    return object(
        "Receiver",
        name,
        labels,
        "{\"webhook\":{\"url\":\"http://127.0.0.2:" + hooks.getPort() + "/" + name + "\"}}");
  }

  private static String credentialOf(String secret) {
    return "{\"valueFrom\":{\"secretKeyRef\":{\"name\":\"" + secret + "\",\"key\":\"token\"}}}";
  }

  private static String slackConfig(String name, String labels, String token) {
    return object("Config", name, labels, "{\"slack\":{\"slackTokenSecret\":" + token + "}}");
  }

  private static String silence(String name, String labels) {
    return object(
        "Silence", name, labels, "{\"matcher\":{\"matchLabels\":{\"alertname\":\"Probe\"}}}");
  }

  private static String router(String name) {
    return object(
        "Router",
        name,
        "",
        "{\"alertSelector\":{\"matchLabels\":{\"namespace\":\"alice\"}},"
            + "\"receivers\":{\"name\":[\"ops\"]}}");
  }

  private String explain(String token, String namespace) throws Exception {
    String batch =
        """
        {"version":"4","status":"firing","receiver":"nm4j","groupKey":"g","alerts":[
         {"status":"firing","labels":{"alertname":"Probe","namespace":"%s"},"annotations":{},
          "startsAt":"2026-11-25T10:00:00Z","fingerprint":"f"}]}
        """
            .formatted(namespace);
    return client
        .send(
            Requests.to(
                serve.server().address().getPort(),
                "POST",
                "/api/v2/explain",
                token,
                "application/json",
                batch),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aTenantsReceiverAndSilenceGetItsTenantLabelsNoNamespaceAndRouteItsAlerts() throws Exception {
    JsonNode receiver = created(ALICE, "receivers", hookReceiver("alice-hook", ""));
    assertThat(receiver.at("/metadata/labels/type").asText()).isEqualTo("tenant");
    assertThat(receiver.at("/metadata/labels/namespace").asText()).isEqualTo("alice");
    assertThat(receiver.at("/metadata").has("namespace")).isFalse();
    assertThat(receiver.path("apiVersion").asText())
        .isEqualTo("notification.kubesphere.io/v2beta2");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> explain(ADMIN, "alice").contains("\"Receiver/alice-hook[webhook]\""));
    assertThat(explain(ADMIN, "bob")).doesNotContain("alice-hook");

    JsonNode silence = created(ALICE, "silences", silence("alice-quiet", ""));
    assertThat(silence.at("/metadata/labels/namespace").asText()).isEqualTo("alice");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> explain(ADMIN, "alice").contains("Silence/alice-quiet"));

    assertThat(names(api(ALICE, "GET", "receivers", null))).containsExactly("alice-hook");
    assertThat(names(api(ALICE, "GET", "silences", null))).containsExactly("alice-quiet");
    assertThat(api(ALICE, "DELETE", "silences/alice-quiet", null).statusCode()).isEqualTo(200);
    assertThat(api(ALICE, "GET", "silences/alice-quiet", null).statusCode()).isEqualTo(404);
  }

  @Test
  void anotherTenantNeitherSeesNorChangesNorDeletesThem() throws Exception {
    created(ALICE, "receivers", hookReceiver("alice-hook", ""));
    created(ALICE, "silences", silence("alice-quiet", ""));

    assertThat(names(api(BOB, "GET", "receivers", null))).isEmpty();
    assertThat(names(api(BOB, "GET", "silences", null))).isEmpty();
    for (String path : List.of("receivers/alice-hook", "silences/alice-quiet")) {
      assertThat(api(BOB, "GET", path, null).statusCode()).as(path).isEqualTo(404);
      assertThat(api(BOB, "DELETE", path, null).statusCode()).as(path).isEqualTo(404);
    }
    HttpResponse<String> takeOver =
        api(BOB, "PUT", "receivers/alice-hook", hookReceiver("alice-hook", ""));
    assertThat(takeOver.statusCode()).as(takeOver.body()).isEqualTo(404);
    HttpResponse<String> asAlice =
        api(BOB, "POST", "receivers", hookReceiver("bob-as-alice", "\"namespace\":\"alice\""));
    assertThat(asAlice.statusCode()).as(asAlice.body()).isEqualTo(403);
    assertThat(asAlice.body()).contains("may not act for namespace \\\"alice\\\"");

    assertThat(names(api(ALICE, "GET", "receivers", null))).containsExactly("alice-hook");
    assertThat(names(api(ADMIN, "GET", "receivers", null))).containsExactly("alice-hook");
  }

  @Test
  void routersGlobalReceiversAndSilencesAndDefaultConfigsAreTheAdmins() throws Exception {
    for (String token : List.of(ALICE, BOB)) {
      HttpResponse<String> r = api(token, "POST", "routers", router("mine"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
      assertThat(r.body()).contains("only members of nm-admins manage routers");
    }
    HttpResponse<String> global =
        api(ALICE, "POST", "receivers", hookReceiver("everyone", "\"type\":\"global\""));
    assertThat(global.statusCode()).as(global.body()).isEqualTo(403);
    HttpResponse<String> globalSilence =
        api(ALICE, "POST", "silences", silence("hush-all", "\"type\":\"global\""));
    assertThat(globalSilence.statusCode()).as(globalSilence.body()).isEqualTo(403);
    assertThat(globalSilence.body()).contains("only members of nm-admins create global silences");
    posted(
        ALICE, "configs", slackConfig("everyones", "\"type\":\"default\"", credentialOf("s")), 403);

    created(ADMIN, "receivers", hookReceiver("ops", "\"type\":\"global\""));
    created(ADMIN, "routers", router("alice-to-ops"));
    created(ADMIN, "silences", silence("maintenance", "\"type\":\"global\""));
    for (String resource : List.of("routers", "receivers", "silences")) {
      assertThat(names(api(ALICE, "GET", resource, null))).as(resource).isEmpty();
    }
    assertThat(api(ALICE, "GET", "routers/alice-to-ops", null).statusCode()).isEqualTo(404);
    assertThat(api(ALICE, "DELETE", "routers/alice-to-ops", null).statusCode()).isEqualTo(404);
    assertThat(names(api(ADMIN, "GET", "routers", null))).containsExactly("alice-to-ops");
    assertThat(api(ADMIN, "DELETE", "routers/alice-to-ops", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aHostileTenantsObjectsAreRefusedNamingTheField() throws Exception {
    created(BOB, "secrets", secret("bob-token", BOB_VALUE));

    HttpResponse<String> stolen =
        posted(ALICE, "configs", slackConfig("steal", "", credentialOf("bob-token")), 422);
    assertThat(causeFields(stolen)).contains("spec.slack.slackTokenSecret");
    assertThat(stolen.body())
        .contains("not found among tenant alice's secrets")
        .doesNotContain(BOB_VALUE);

    HttpResponse<String> inline =
        posted(ALICE, "configs", slackConfig("inline", "", "{\"value\":\"xoxb-alice\"}"), 422);
    assertThat(inline.body()).contains("an inline credential value is allowed only in the admin's");

    String toLoopback = "{\"webhook\":{\"url\":\"http://127.0.0.1:9/\"}}";
    HttpResponse<String> loopback =
        posted(ALICE, "receivers", object("Receiver", "inside", "", toLoopback), 422);
    assertThat(loopback.body()).contains("egress denied for tenant alice");

    String placed =
        silence("placed", "")
            .replace("\"name\":\"placed\"", "\"name\":\"placed\",\"namespace\":\"alice\"");
    assertThat(posted(ALICE, "silences", placed, 400).body()).contains("Silence is cluster-scoped");

    HttpResponse<String> wrongKind = api(ALICE, "POST", "silences", router("r"));
    assertThat(wrongKind.statusCode()).isEqualTo(400);

    assertThat(names(api(ADMIN, "GET", "configs", null))).isEmpty();
    assertThat(names(api(ADMIN, "GET", "receivers", null))).isEmpty();
    assertThat(hooks.getRequestCount()).isZero();
  }

  @Test
  void eachVersionServesItsOwnKindsAndSecretsServeBoth() throws Exception {
    HttpResponse<String> perChannel = api(ADMIN, "GET", "emailreceivers", null);
    assertThat(perChannel.statusCode()).isEqualTo(404);
    assertThat(perChannel.body())
        .contains("served: [secrets, configmaps, receivers, configs, routers, silences]");
    assertThat(call(ADMIN, "GET", V2ALPHA1 + "receivers", null).statusCode()).isEqualTo(404);
    assertThat(call(ADMIN, "GET", V2ALPHA1 + "emailreceivers", null).statusCode()).isEqualTo(200);
    assertThat(api(ADMIN, "POST", "verify", "{}").statusCode()).isEqualTo(404);

    created(ALICE, "secrets", secret("alice-token", "alice-value"));
    assertThat(names(call(ALICE, "GET", V2ALPHA1 + "secrets", null)))
        .containsExactly("alice-token");
    assertThat(names(api(ALICE, "GET", "secrets", null))).containsExactly("alice-token");
    assertThat(api(ALICE, "GET", "routers", null).statusCode()).isEqualTo(200);
  }

  private static String secret(String name, String value) {
    return """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s"},"data":{"token":"%s"}}"""
        .formatted(
            name, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }
}
