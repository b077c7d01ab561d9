package io.nm4j.server.admin;

import static io.nm4j.server.admin.AdminServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.nm4j.core.admin.TokenFileAuthenticator;
import io.nm4j.k8s.KubernetesConfigSource;
import io.nm4j.server.MockKubernetesApi;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API on the Kubernetes store, against fabric8's mock API server in CRUD mode, in
 * namespace tenancy (the default tenant key): alice acts for namespace shop.
 */
class KubernetesAdminApiTest {
  private static final String ADMIN = "admin-token-1";
  private static final String ALICE = "alice-token-1";

  @TempDir Path etc;
  private MockKubernetesApi api;
  private NamespacedKubernetesClient client;
  private KubernetesConfigSource source;
  private AdminServer s;

  @BeforeEach
  void start() throws Exception {
    api = new MockKubernetesApi();
    client = api.client();
    Path tokens = etc.resolve("tokens.csv");
    Files.writeString(tokens, ADMIN + ",root,nm-admins\n" + ALICE + ",alice,ns:shop\n");
    source =
        KubernetesConfigSource.builder()
            .client(client)
            .debounce(Duration.ofMillis(20))
            .syncTimeout(Duration.ofSeconds(20))
            .build();
    s = new AdminServer(source, List.of(TokenFileAuthenticator.of(tokens)));
  }

  @AfterEach
  void stop() {
    s.close();
    source.close();
    api.close();
  }

  private static String slack(String name, String labels, String rv) {
    return "{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\",\"kind\":\"SlackReceiver\","
        + "\"metadata\":{\"name\":\""
        + name
        + "\""
        + (rv.isEmpty() ? "" : ",\"resourceVersion\":\"" + rv + "\"")
        + ",\"labels\":{"
        + labels
        + "}},\"spec\":{\"channel\":\"#ops\"}}";
  }

  @Test
  void verbsStatusCodesAndTenancyHoldOnTheKubernetesStore() throws Exception {
    HttpResponse<String> created =
        s.post(ADMIN, "slackreceivers", slack("ops", "\"type\":\"global\"", ""));
    assertThat(created.statusCode()).isEqualTo(201);
    String rv = json(created).at("/metadata/resourceVersion").asText();
    assertThat(json(created).at("/metadata/namespace").asText())
        .isEqualTo("kubesphere-monitoring-system");
    assertThat(
            client
                .genericKubernetesResources("notification.kubesphere.io/v1alpha1", "SlackReceiver")
                .inNamespace("kubesphere-monitoring-system")
                .withName("ops")
                .get())
        .isNotNull();
    assertThat(
            s.post(ADMIN, "slackreceivers", slack("ops", "\"type\":\"global\"", "")).statusCode())
        .isEqualTo(409);

    assertThat(
            s.put(
                    ADMIN,
                    "slackreceivers/ops",
                    slack("ops", "\"type\":\"global\",\"tier\":\"1\"", rv))
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> stale =
        s.put(ADMIN, "slackreceivers/ops", slack("ops", "\"type\":\"global\"", rv));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(json(stale).get("reason").asText()).isEqualTo("Conflict");

    HttpResponse<String> invalid =
        s.post(
            ADMIN,
            "slackreceivers",
            slack("bad", "\"type\":\"global\"", "").replace("\"channel\":\"#ops\"", ""));
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(json(invalid).at("/details/causes/0/field").asText()).isEqualTo("spec.channel");

    assertThat(s.get(ALICE, "slackreceivers/ops").statusCode()).isEqualTo(404);
    assertThat(s.post(ALICE, "slackreceivers", slack("alice-chat", "", "")).statusCode())
        .isEqualTo(201);
    assertThat(json(s.get(ALICE, "slackreceivers")).get("items")).hasSize(1);
    assertThat(json(s.get(ADMIN, "slackreceivers?labelSelector=namespace%3Dshop")).get("items"))
        .hasSize(1);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> s.manager.snapshot().destinations().size() == 2);
    assertThat(s.delete(ADMIN, "slackreceivers/ops").statusCode()).isEqualTo(200);
    assertThat(s.get(ADMIN, "slackreceivers/ops").statusCode()).isEqualTo(404);
    assertThat(s.delete(ADMIN, "slackreceivers").statusCode()).isEqualTo(405);
  }
}
