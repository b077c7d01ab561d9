package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.VerifyResult;
import io.nm4j.core.admin.VerifyTarget;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.core.metrics.NotificationMetrics;
import io.nm4j.spi.Channel;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote that echoes the credentials it was sent, or a channel that fails with a secret in its
 * exception, never puts a secret value into any output: log, history, dead letters, metrics,
 * explain, or a test send's result.
 */
class SecretsNeverLeakTest {
  private static final String TOKEN = "xoxb-echo-1b2c3d4e5f60";
  private static final String CONFIG = Fixtures.defaultConfigWithToken(TOKEN) + global("ops");

  @TempDir Path dir;

  /** A channel whose remote echoes what it was sent in its reason phrase and body. */
  private static final class EchoingChannel implements Channel<PagerReceiver, PagerConfig> {
    @Override
    public SendResult send(SendRequest<PagerReceiver, PagerConfig> request) {
      String token = request.secret("spec.token").reveal();
      String basic =
          Base64.getEncoder().encodeToString(("nm4j:" + token).getBytes(StandardCharsets.UTF_8));
      return SendResult.permanent(
          SendResult.Reason.AUTH_REJECTED,
          "POST https://hooks.example.com:443/x: HTTP 401 token "
              + token
              + " revoked; body: {\"authorization\":\"Basic "
              + basic
              + "\",\"echo\":\""
              + token.substring(0, 12)
              + "…");
    }
  }

  /** A channel with a bug that puts the secret into its exception's message. */
  private static final class ThrowingChannel implements Channel<PagerReceiver, PagerConfig> {
    @Override
    public SendResult send(SendRequest<PagerReceiver, PagerConfig> request) {
      throw new IllegalStateException("cannot use token " + request.secret("spec.token").reveal());
    }
  }

  private NotificationManager manager(
      InMemoryConfigSource source,
      Function<io.nm4j.spi.ChannelContext, Channel<PagerReceiver, PagerConfig>> channel) {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider("Pager", channel))
        .configSource(source)
        .deadLetterFile(dir.resolve("dead-letters.jsonl"))
        .build();
  }

  private static void assertNoSecret(String what, String text) {
    String basic =
        Base64.getEncoder().encodeToString(("nm4j:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(text)
        .as(what)
        .doesNotContain(TOKEN, TOKEN.substring(0, 12), basic)
        .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anEchoedSecretReachesNoOutput() throws Exception {
    InMemoryConfigSource source = InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (LogCapture log = new LogCapture();
        NotificationManager nm = manager(source, ctx -> new EchoingChannel());
        AdminService admin = AdminService.builder().store(source).manager(nm).build()) {
      new NotificationMetrics(nm).bindTo(registry);
      DeliveryOutcome o = nm.submit(batch(inNamespace("shop"))).allOutcomes().join().get(0);
      assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
      assertThat(o.lastFailure().detail())
          .isEqualTo(
              "POST https://hooks.example.com:443/x: HTTP 401 token [redacted] revoked; body:"
                  + " {\"authorization\":\"Basic [redacted]\",\"echo\":\"[redacted]…");
      VerifyResult verify =
          admin.verify(
              new Caller("root", Set.of("nm-admins")),
              VerifyTarget.stored("PagerReceiver", "ops"),
              null);

      assertThat(verify.delivered()).isFalse();
      assertThat(verify.detail()).contains("HTTP 401 token [redacted] revoked");
      assertNoSecret("verify", verify.toString());
      assertNoSecret("outcome", o.toString());
      List<DeliveryRecord> history = nm.history().query(DeliveryHistory.Query.all());
      assertThat(history).isNotEmpty();
      assertNoSecret("history", history.toString());
      assertNoSecret(
          "dead letters",
          Files.readString(dir.resolve("dead-letters.jsonl"), StandardCharsets.UTF_8));
      assertNoSecret("metrics", registry.scrape());
      assertNoSecret("explain", nm.explain(batch(inNamespace("shop"))).toJson());
      assertNoSecret("problems", nm.problems().toString());
      assertThat(log.text()).contains("HTTP 401 token [redacted] revoked");
      assertNoSecret("log", log.text());
    }
  }

  @Test
  void aDeliveredSendWhoseDetailEchoesTheSecretHasItScrubbed() {
    InMemoryConfigSource source = InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects());
    Channel<PagerReceiver, PagerConfig> echoing =
        request ->
            SendResult.delivered("accepted with token " + request.secret("spec.token").reveal());
    try (NotificationManager nm = manager(source, ctx -> echoing);
        AdminService admin = AdminService.builder().store(source).manager(nm).build()) {
      VerifyResult verify =
          admin.verify(
              new Caller("root", Set.of("nm-admins")),
              VerifyTarget.stored("PagerReceiver", "ops"),
              null);

      assertThat(verify.delivered()).isTrue();
      assertThat(verify.detail()).isEqualTo("accepted with token [redacted]");
    }
  }

  @Test
  void aChannelsExceptionBecomesAnInternalFailureNamingOnlyItsType() {
    InMemoryConfigSource source = InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects());
    try (LogCapture log = new LogCapture();
        NotificationManager nm = manager(source, ctx -> new ThrowingChannel())) {
      DeliveryOutcome o = nm.submit(batch(inNamespace("shop"))).allOutcomes().join().get(0);
      assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.INTERNAL);
      assertThat(o.lastFailure().retryable()).isFalse();
      assertThat(o.lastFailure().detail())
          .isEqualTo(
              "PagerConfig/d: the channel failed unexpectedly (java.lang.IllegalStateException)");
      assertThat(log.text())
          .contains("channel pager failed unexpectedly", "java.lang.IllegalStateException");
      assertNoSecret("log", log.text());
      assertNoSecret("history", nm.history().query(DeliveryHistory.Query.all()).toString());
    }
  }
}
