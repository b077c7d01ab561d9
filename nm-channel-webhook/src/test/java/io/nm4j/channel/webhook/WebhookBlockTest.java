package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Destination;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The webhook block of notification-manager's v2beta2 Receiver names its destination itself and
 * takes no Config.
 */
class WebhookBlockTest {
  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(List.of(new WebhookChannelProvider()));

  private static Snapshot snapshot(String labels, String block) {
    String yaml =
        "apiVersion: notification.kubesphere.io/v2beta2\nkind: Receiver\nmetadata:\n"
            + "  name: hook\n  labels: "
            + labels
            + "\nspec:\n  webhook:\n"
            + block;
    return Snapshot.build(
        Manifests.parse(yaml, "test.yaml"), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  @Test
  void aReceiverBlockWithAUrlIsItsOwnConfig() {
    Snapshot s =
        snapshot(
            "{type: global}",
            "    url: https://hooks.example.com/alerts\n"
                + "    httpConfig: {bearerToken: {valueFrom: {secretKeyRef: {name: hook, key: token}}}}\n");
    assertThat(s.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "Receiver/hook: spec.webhook.httpConfig.bearerToken: secret \"hook\" not found among"
                + " the admin's secrets");
    Destination d = s.destinations().get(0);
    assertThat(d.config()).isEqualTo(new ObjectRef("Receiver", "hook[webhook]"));
    assertThat(d.configSpec()).isInstanceOf(WebhookConfig.class);
    assertThat(((WebhookConfig) d.configSpec()).url())
        .isEqualTo("https://hooks.example.com/alerts");
  }

  @Test
  void aTenantsWebhookUrlIsCheckedAgainstTheTenantEgressPolicy() {
    Snapshot s =
        snapshot("{type: tenant, namespace: shop}", "    url: http://169.254.169.254/latest\n");
    assertThat(s.problems())
        .extracting(Problem::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("Receiver/hook: spec.webhook.url: egress denied for tenant shop"));
  }

  @Test
  void aRootCaBesideInsecureSkipVerifyIsANoticeNamingTheBlocksField() {
    Snapshot s =
        snapshot(
            "{type: global}",
            "    url: https://hooks.example.com/alerts\n"
                + "    httpConfig: {tlsConfig: {insecureSkipVerify: true,"
                + " rootCA: {valueFrom: {secretKeyRef: {name: hook, key: ca}}}}}\n");

    assertThat(s.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "Receiver/hook: spec.webhook.httpConfig.tlsConfig.rootCA: not used:"
                + " insecureSkipVerify is true, so the server's certificate is not verified (a"
                + " client certificate is still presented)");
    assertThat(s.problems()).allMatch(p -> p.severity() == Problem.Severity.NOTICE);
    assertThat(s.destinations()).hasSize(1);
  }

  @Test
  void aBlockWithNeitherUrlNorServiceIsRefused() {
    Snapshot s = snapshot("{type: global}", "    httpConfig: {}\n");
    assertThat(s.problems())
        .extracting(Problem::toString)
        .contains("Receiver/hook: spec.webhook: one of url or service is required");
    assertThat(s.destinations()).isEmpty();
  }
}
