package io.nm4j.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API serves the Feishu and Teams kinds from their providers' descriptions: created,
 * listed and validated with their field paths, with no admin code naming them. Callers on loopback
 * without authenticators are admins.
 */
class FeishuAndTeamsAdminApiTest {
  @TempDir Path dir;
  private AdminServer s;

  @BeforeEach
  void start() throws Exception {
    s = new AdminServer(dir, List.of());
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private static String object(String kind, String name, String spec) {
    return "{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\",\"kind\":\""
        + kind
        + "\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"type\":\"global\"}},\"spec\":"
        + spec
        + "}";
  }

  @Test
  void feishuAndTeamsReceiversAreCreatedListedAndCheckedByField() throws Exception {
    String workflow = "https://prod.logic.azure.com/workflows/x?sig=s";
    assertThat(
            s.post(
                    null,
                    "secrets",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"w\"},"
                        + "\"data\":{\"url\":\""
                        + Base64.getEncoder()
                            .encodeToString(workflow.getBytes(StandardCharsets.UTF_8))
                        + "\"}}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            s.post(
                    null,
                    "teamsreceivers",
                    object(
                        "TeamsReceiver", "ops", "{\"webhook\":{\"name\":\"w\",\"key\":\"url\"}}"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            s.post(
                    null,
                    "feishureceivers",
                    object("FeishuReceiver", "ops", "{\"user\":[\"ou_1\"],\"tmplType\":\"text\"}"))
                .statusCode())
        .isEqualTo(201);

    JsonNode teams = AdminServer.JSON.readTree(s.get(null, "teamsreceivers").body());
    JsonNode feishu = AdminServer.JSON.readTree(s.get(null, "feishureceivers/ops").body());
    var rejected =
        s.post(null, "feishureceivers", object("FeishuReceiver", "bad", "{\"chatbot\":{}}"));

    assertThat(teams.get("items")).hasSize(1);
    assertThat(feishu.at("/spec/user/0").asText()).isEqualTo("ou_1");
    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(rejected.body()).contains("spec.chatbot.webhook");
  }
}
