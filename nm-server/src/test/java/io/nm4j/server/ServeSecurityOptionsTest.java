package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.server.internal.ServeCommand;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant-boundary options of {@code serve}: a wrong value stops it with exit 2 and one line
 * naming the flag, and {@code --admin-egress-deny} restricts the admin's configs as well.
 */
class ServeSecurityOptionsTest {
  @TempDir Path tmp;

  /** Options of {@code serve} on an empty directory and free ports, then {@code more}. */
  private String[] options(String... more) throws Exception {
    return InProcessServe.options(
        Files.createDirectories(tmp.resolve("config")), tmp.resolve("data"), more);
  }

  @Test
  void aWrongValueExits2WithOneLineNamingTheFlag() throws Exception {
    Map<List<String>, String> cases =
        Map.of(
            List.of("--egress-deny", "10.0.0.0/33"), "nm4j serve: --egress-deny: prefix must be",
            List.of("--egress-allow", "intranet.example"), "nm4j serve: --egress-allow: not a CIDR",
            List.of("--admin-egress-deny", "10.0.0.0/8,10.1"),
                "nm4j serve: --admin-egress-deny: not a CIDR",
            List.of("--tenant-max-objects", "0"), "nm4j serve: --tenant-max-objects: must be 1..",
            List.of("--tenant-max-bytes", "4MiB"),
                "nm4j serve: --tenant-max-bytes: must be a whole number",
            List.of("--ready-stale-after", "soon"),
                "nm4j serve: --ready-stale-after: must be a duration",
            List.of("--ready-stale-after", "0s"),
                "nm4j serve: --ready-stale-after: must be positive");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      List<String> line = new ArrayList<>(List.of("serve"));
      line.addAll(List.of(options(c.getKey().toArray(new String[0]))));
      Cli.Result r = Cli.run(line.toArray(new String[0]));
      assertThat(r.exit()).as(c.getKey().toString()).isEqualTo(2);
      assertThat(r.errLines()).as(c.getKey().toString()).hasSize(1);
      assertThat(r.err()).as(c.getKey().toString()).startsWith(c.getValue());
    }
  }

  @Test
  void adminEgressDenyRefusesTheAdminsConfigsInsideTheRange() throws Exception {
    try (ServeCommand.Running running =
        InProcessServe.start(options("--admin-egress-deny", "10.0.0.0/8"))) {
      int port = running.server().adminAddress().getPort();
      HttpResponse<String> denied = createWebhookConfig(port, "internal", "http://10.1.2.3/hook");
      assertThat(denied.statusCode()).isEqualTo(422);
      assertThat(denied.body()).contains("spec.url").contains("egress denied");
      // outside the operator's range, and on loopback (no built-in denials for the admin)
      assertThat(createWebhookConfig(port, "sink", "http://127.0.0.1:19093/sink").statusCode())
          .isEqualTo(201);
    }
  }

  /** As the loopback admin a server without authenticators serves. */
  private static HttpResponse<String> createWebhookConfig(int port, String name, String url)
      throws Exception {
    String config =
        """
        {"apiVersion":"notification.kubesphere.io/v1alpha1","kind":"WebhookConfig",
         "metadata":{"name":"%s"},"spec":{"url":"%s"}}"""
            .formatted(name, url);
    return HttpClient.newHttpClient()
        .send(
            Requests.to(
                port,
                "POST",
                "/kapis/notification.kubesphere.io/v2alpha1/webhookconfigs",
                null,
                "application/json",
                config),
            HttpResponse.BodyHandlers.ofString());
  }
}
