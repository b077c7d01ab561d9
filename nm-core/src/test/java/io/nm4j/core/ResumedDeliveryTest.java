package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Channel;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A channel's progress travels through the manager: the failed attempt reports what it delivered,
 * the retry's request carries it, also when the failure's detail had a secret scrubbed out.
 */
class ResumedDeliveryTest {
  private static final String TOKEN = "pager-token-5e6f7a8b";
  private static final String CONFIG = Fixtures.defaultConfigWithToken(TOKEN) + global("ops");

  /** Delivers page 1, fails on page 2 echoing the token; the retry sends what is missing. */
  private static final class TwoPages implements Channel<PagerReceiver, PagerConfig> {
    final List<SendProgress> given = new CopyOnWriteArrayList<>();
    final List<String> pages = new CopyOnWriteArrayList<>();

    @Override
    public SendResult send(SendRequest<PagerReceiver, PagerConfig> request) {
      given.add(request.progress());
      SendProgress.Builder done = request.progress().toBuilder();
      for (String page : List.of("page 1", "page 2")) {
        String key = SendProgress.key(request.receiver().to(), page);
        if (done.contains(key)) {
          continue;
        }
        if (page.equals("page 2") && given.size() == 1) {
          return SendResult.retryable(
                  SendResult.Reason.REMOTE_ERROR,
                  "HTTP 503 for token " + request.secret("spec.token").reveal())
              .withProgress(done.build());
        }
        pages.add(page);
        done.add(key);
      }
      return SendResult.delivered();
    }
  }

  @Test
  void theRetryOfAPartlyDeliveredNotificationSendsOnlyTheMissingPage() {
    TwoPages channel = new TwoPages();
    InMemoryConfigSource source = InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects());
    try (NotificationManager nm =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(new PagerChannelProvider("Pager", ctx -> channel))
            .configSource(source)
            .deliveryOptions(
                DeliveryOptions.builder()
                    .initialBackoff(Duration.ofMillis(1))
                    .maxBackoff(Duration.ofMillis(1))
                    .build())
            .build()) {
      DeliveryOutcome o = nm.submit(batch(inNamespace("shop"))).allOutcomes().join().get(0);

      assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
      assertThat(o.attempts()).isEqualTo(2);
      assertThat(o.lastFailure().detail()).isEqualTo("HTTP 503 for token [redacted]");
      assertThat(channel.pages).containsExactly("page 1", "page 2");
      assertThat(channel.given).hasSize(2);
      assertThat(channel.given.get(0)).isEqualTo(SendProgress.NONE);
      assertThat(channel.given.get(1).keys()).isEqualTo(Set.of(SendProgress.key("ops", "page 1")));
    }
  }
}
