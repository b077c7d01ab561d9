package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.server.internal.ServeCommand;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where an admin call came from, as its audit line says: the peer's address, and behind a trusted
 * front proxy ({@code --trust-proxy-headers}) also the client the proxy names in {@code
 * X-Forwarded-For}, marked {@code for=} as what the proxy was told.
 */
class AuditRemoteAddressTest {
  private static final String RECEIVER =
      """
      {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"SlackReceiver",
       "metadata":{"name":"chat","labels":{"type":"global"}},"spec":{"channel":"#ops"}}""";

  @TempDir Path tmp;
  private final HttpClient client = HttpClient.newHttpClient();

  private ServeCommand.Running serve(String... more) throws Exception {
    return InProcessServe.start(
        InProcessServe.options(
            Files.createDirectories(tmp.resolve("config")), tmp.resolve("data"), more));
  }

  private int create(ServeCommand.Running running, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of("X-Forwarded-For", "203.0.113.7, 10.0.0.1"));
    all.addAll(List.of(headers));
    return client
        .send(
            Requests.to(
                running.server().adminAddress().getPort(),
                "POST",
                "/kapis/notification.kubesphere.io/v2alpha1/slackreceivers",
                null,
                "application/json",
                RECEIVER,
                all.toArray(new String[0])),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void behindATrustedProxyTheLineNamesTheProxyAndTheClientItForwarded() throws Exception {
    try (LogCapture logs = new LogCapture();
        ServeCommand.Running running = serve("--trust-proxy-headers")) {
      assertThat(create(running, "X-Remote-User", "carol", "X-Remote-Group", "nm-admins"))
          .isEqualTo(201);
      assertThat(logs.text())
          .containsPattern(
              "audit user=carol tenants=\\* remote=\"127\\.0\\.0\\.1:\\d+ for=203\\.0\\.113\\.7\""
                  + " verb=create object=slackreceivers/chat code=201 outcome=ok");
    }
  }

  @Test
  void withoutATrustedProxyAForwardedForHeaderIsIgnored() throws Exception {
    Path tokens = Files.writeString(tmp.resolve("tokens.csv"), "admin-token-2,root,nm-admins\n");
    try (LogCapture logs = new LogCapture();
        ServeCommand.Running running = serve("--auth-tokens", tokens.toString())) {
      assertThat(create(running, "Authorization", "Bearer admin-token-2")).isEqualTo(201);
      assertThat(logs.text())
          .containsPattern(
              "audit user=root tenants=\\* remote=127\\.0\\.0\\.1:\\d+ verb=create"
                  + " object=slackreceivers/chat code=201 outcome=ok")
          .doesNotContain("203.0.113.7");
    }
  }
}
