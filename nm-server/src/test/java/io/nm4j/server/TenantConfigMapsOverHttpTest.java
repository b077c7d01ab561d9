package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.TokenFileAuthenticator;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Template ConfigMaps through the admin API over a real socket, against hostile tenants (namespace
 * tenancy: alice holds {@code ns:shop}, bob {@code ns:payments}): a tenant's ConfigMap gets its
 * owner label and serves only its receivers; another tenant's is neither readable, writable,
 * listable nor usable; broken and oversized templates are refused when written.
 */
class TenantConfigMapsOverHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/kapis/notification.kubesphere.io/v2alpha1/";
  private static final String ADMIN = "admin-token-5e1";
  private static final String ALICE = "alice-token-9c2";
  private static final String BOB = "bob-token-07d";
  private static final String BATCH =
      """
      {"version":"4","status":"firing","receiver":"nm4j","groupKey":"g1","alerts":[
       {"status":"firing","labels":{"alertname":"ShopDown","namespace":"shop"},"startsAt":"2026-11-25T10:00:00Z"}]}
      """;
  private static final String CONFIG =
      """
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackConfig
      metadata: {name: default-slack, labels: {type: default}}
      spec: {slackTokenSecret: {name: slack-tokens, key: token}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: slack-tokens}
      stringData: {token: xoxb-never-shown}
      """;

  @TempDir Path etc;
  private final HttpClient client = HttpClient.newHttpClient();
  private final InMemoryConfigSource source = new InMemoryConfigSource();
  private NotificationManager manager;
  private AdminService admin;
  private Nm4jServer server;

  @BeforeEach
  void start() throws Exception {
    Path tokens = etc.resolve("tokens.csv");
    Files.writeString(
        tokens,
        ADMIN + ",root,nm-admins\n" + ALICE + ",alice,ns:shop\n" + BOB + ",bob,ns:payments\n");
    source.putAll(Manifests.parse(CONFIG, "test").objects());
    manager = NotificationManager.builder().configSource(source).build();
    admin = AdminService.builder().store(source).manager(manager).build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .admin(admin)
            .authenticators(List.of(TokenFileAuthenticator.of(tokens)))
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .adminListen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    admin.close();
    manager.close();
  }

  private HttpResponse<String> api(String token, String method, String path, @Nullable String json)
      throws Exception {
    int port = Objects.requireNonNull(server.adminAddress()).getPort();
    return client.send(
        Requests.to(
            port, method, API + path, token, json == null ? null : "application/json", json),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode created(String token, String resource, String json) throws Exception {
    HttpResponse<String> r = api(token, "POST", resource, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static String configMap(String name, String data) {
    return """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s"},"data":%s}"""
        .formatted(name, data);
  }

  private static String slackReceiver(String name, String templates) {
    return """
        {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"SlackReceiver",
         "metadata":{"name":"%s"},"spec":{"channel":"#%s","tmplText":{"name":"%s"}}}"""
        .formatted(name, name, templates);
  }

  /** The Slack messages {@code token}'s render of the batch shows, {@code receiver: message}. */
  private List<String> rendered(String token) throws Exception {
    HttpResponse<String> r =
        client.send(
            Requests.to(server.address().getPort(), "POST", "/api/v2/render", token, null, BATCH),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).get("notifications")) {
      out.add(n.get("receiver").asText() + ": " + n.get("parts").get("message").asText().strip());
    }
    return out;
  }

  private static String causes(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).at("/details/causes").toString();
  }

  @Test
  void aTenantsConfigMapGetsItsOwnerLabelAndServesItsOwnReceiver() throws Exception {
    JsonNode stored =
        created(
            ALICE,
            "configmaps",
            configMap("shop-templates", "{\"message\":\"shop ${commonName}\"}"));
    assertThat(stored.at("/metadata/labels/namespace").asText()).isEqualTo("shop");

    created(ALICE, "slackreceivers", slackReceiver("shop", "shop-templates"));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(rendered(ALICE)).containsExactly("SlackReceiver/shop: shop ShopDown"));
  }

  @Test
  void anotherTenantsConfigMapIsNeitherReadableWritableListableNorUsable() throws Exception {
    created(BOB, "configmaps", configMap("pay-templates", "{\"message\":\"pay ${commonName}\"}"));

    assertThat(api(ALICE, "GET", "configmaps/pay-templates", null).statusCode()).isEqualTo(404);
    assertThat(
            api(
                    ALICE,
                    "PUT",
                    "configmaps/pay-templates",
                    configMap("pay-templates", "{\"message\":\"stolen\"}"))
                .statusCode())
        .isEqualTo(404);
    assertThat(api(ALICE, "DELETE", "configmaps/pay-templates", null).statusCode()).isEqualTo(404);
    HttpResponse<String> list = api(ALICE, "GET", "configmaps", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain("pay-templates", "pay ${commonName}");
    HttpResponse<String> claimed =
        api(
            ALICE,
            "POST",
            "configmaps",
            """
            {"apiVersion":"v1","kind":"ConfigMap",
             "metadata":{"name":"fake-pay","labels":{"namespace":"payments"}},"data":{}}""");
    assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(403);

    HttpResponse<String> borrowing =
        api(ALICE, "POST", "slackreceivers", slackReceiver("shop-borrows", "pay-templates"));
    assertThat(borrowing.statusCode()).as(borrowing.body()).isEqualTo(422);
    assertThat(borrowing.body())
        .contains("belongs to tenant payments, not to tenant shop")
        .doesNotContain("pay ${commonName}");

    assertThat(api(BOB, "GET", "configmaps/pay-templates", null).body())
        .contains("pay ${commonName}");
    assertThat(api(ADMIN, "GET", "configmaps", null).body()).contains("pay-templates");
  }

  @Test
  void aTemplateThatDoesNotCompileIsRefusedNamingKeyLineAndColumn() throws Exception {
    HttpResponse<String> r =
        api(
            ALICE,
            "POST",
            "configmaps",
            configMap("shop-broken", "{\"fine\":\"ok\",\"message\":\"first line\\n  <#if>\"}"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(causes(r))
        .contains("\"field\":\"data.message\"")
        .contains("ConfigMap/shop-broken:message:2:");
    assertThat(causes(r)).doesNotContain("data.fine");
    assertThat(api(ALICE, "GET", "configmaps/shop-broken", null).statusCode()).isEqualTo(404);
  }

  @Test
  void oversizedTemplatesAndTooManyKeysAreRefused() throws Exception {
    String big = "x".repeat(64 * 1024 + 1);
    HttpResponse<String> oversized =
        api(ALICE, "POST", "configmaps", configMap("shop-big", "{\"message\":\"" + big + "\"}"));
    assertThat(oversized.statusCode()).as(oversized.body()).isEqualTo(422);
    assertThat(causes(oversized)).contains("data.message").contains("at most 65536 bytes");

    StringBuilder keys = new StringBuilder("{");
    for (int i = 0; i < 65; i++) {
      keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"t\"");
    }
    HttpResponse<String> tooMany =
        api(ALICE, "POST", "configmaps", configMap("shop-many", keys.append("}").toString()));
    assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(422);
    assertThat(causes(tooMany)).contains("at most 64 keys");
  }

  @Test
  void deletingAConfigMapItsReceiverNamesLeavesTheReceiverOnTheBuiltInTemplate() throws Exception {
    created(
        ALICE, "configmaps", configMap("shop-templates", "{\"message\":\"shop ${commonName}\"}"));
    created(ALICE, "slackreceivers", slackReceiver("shop", "shop-templates"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(rendered(ALICE)).containsExactly("SlackReceiver/shop: shop ShopDown"));

    assertThat(api(ALICE, "DELETE", "configmaps/shop-templates", null).statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(rendered(ALICE))
                    .singleElement()
                    .asString()
                    .startsWith("SlackReceiver/shop: ")
                    .contains("[FIRING:1] ShopDown")
                    .doesNotContain("shop ShopDown"));
    assertThat(manager.problems())
        .anyMatch(
            p ->
                p.toString().contains("SlackReceiver/shop: spec.tmplText")
                    && p.toString().contains("there is no ConfigMap \"shop-templates\""));
  }

  @Test
  void anAdminsLanguagePackChangesTheWordsButATenantsConfigMapCannot() throws Exception {
    source.putAll(
        Manifests.parse(
                """
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: NotificationManager
                metadata: {name: notification-manager}
                spec:
                  template:
                    languagePack: [{name: words}, {name: bob-words}]
                """,
                "test")
            .objects());
    String pack = "{\"fr\":\"- name: fr\\n  dictionary: {firing: EN COURS}\\n\"}";
    created(ADMIN, "configmaps", configMap("words", pack));
    created(BOB, "configmaps", configMap("bob-words", pack.replace("EN COURS", "PWNED")));
    created(
        ALICE,
        "slackreceivers",
        """
        {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"SlackReceiver",
         "metadata":{"name":"shop"},"spec":{"channel":"#shop","language":"fr"}}""");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(rendered(ALICE))
                    .singleElement()
                    .asString()
                    .contains("[EN COURS:1] ShopDown")
                    .doesNotContain("PWNED"));
    assertThat(manager.problems())
        .anyMatch(
            p ->
                p.toString().contains("spec.template.languagePack[1]")
                    && p.toString().contains("ConfigMap/bob-words belongs to tenant payments"));
  }
}
