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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v2/render} over a real socket: a caller is required, an admin renders every
 * receiver the batch reaches, a tenant only its own, each with the templates chosen for it.
 */
class RenderEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "admin-token-1";
  private static final String ALICE = "alice-token-1";
  private static final String BATCH =
      """
      {"version":"4","status":"firing","receiver":"nm4j","groupKey":"g1","alerts":[
       {"status":"firing","labels":{"alertname":"ShopDown","namespace":"shop"},"startsAt":"2026-11-25T10:00:00Z"},
       {"status":"firing","labels":{"alertname":"PayDown","namespace":"payments"},"startsAt":"2026-11-25T10:00:00Z"}]}
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
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-templates, labels: {namespace: shop}}
      data:
        message: "shop: <#list alerts as a>${a.name}</#list>"
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackReceiver
      metadata: {name: ops, labels: {type: global}}
      spec: {channel: '#ops'}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackReceiver
      metadata: {name: shop, labels: {type: tenant, namespace: shop}}
      spec: {channel: '#shop', tmplText: {name: shop-templates}}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackReceiver
      metadata: {name: payments, labels: {type: tenant, namespace: payments}}
      spec: {channel: '#payments'}
      """;

  @TempDir Path etc;
  private final HttpClient client = HttpClient.newHttpClient();
  private NotificationManager manager;
  private AdminService admin;
  private Nm4jServer server;

  @BeforeEach
  void start() throws Exception {
    Path tokens = etc.resolve("tokens.csv");
    Files.writeString(tokens, ADMIN + ",root,nm-admins\n" + ALICE + ",alice,ns:shop\n");
    InMemoryConfigSource source = new InMemoryConfigSource();
    manager = NotificationManager.builder().configSource(source).build();
    // The admin service tells which tenants a caller holds.
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
    source.putAll(Manifests.parse(CONFIG, "test").objects());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.snapshot().destinations().size() == 3);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    admin.close();
    manager.close();
  }

  private HttpResponse<String> render(String token) throws Exception {
    return client.send(
        Requests.to(server.address().getPort(), "POST", "/api/v2/render", token, null, BATCH),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> messages(HttpResponse<String> r) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).get("notifications")) {
      out.add(n.get("receiver").asText() + ": " + n.get("parts").get("message").asText().strip());
    }
    return out;
  }

  @Test
  void renderNeedsACaller() throws Exception {
    assertThat(render(null).statusCode()).isEqualTo(401);
  }

  @Test
  void anAdminRendersEveryReceiverWithItsOwnTemplates() throws Exception {
    HttpResponse<String> r = render(ADMIN);

    assertThat(r.statusCode()).isEqualTo(200);
    List<String> messages = messages(r);
    assertThat(messages)
        .hasSize(3)
        .contains("SlackReceiver/shop: shop: ShopDown")
        .anyMatch(m -> m.startsWith("SlackReceiver/ops: ") && m.contains("PayDown"))
        .anyMatch(m -> m.startsWith("SlackReceiver/payments: ") && m.contains("PayDown"));
    assertThat(r.body()).doesNotContain("xoxb-never-shown");
  }

  @Test
  void aTenantRendersOnlyItsOwnReceivers() throws Exception {
    HttpResponse<String> r = render(ALICE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(messages(r)).containsExactly("SlackReceiver/shop: shop: ShopDown");
  }
}
