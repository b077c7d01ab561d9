package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.config;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.secret;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SubmitTest {
  /** What the test channel was asked to send: receiver, alert count, token value. */
  private final List<String> sent = new CopyOnWriteArrayList<>();

  private volatile ChannelContext context;
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean block;

  private final class RecordingChannel implements Channel<PagerReceiver, PagerConfig> {
    @Override
    public SendResult send(SendRequest<PagerReceiver, PagerConfig> request) {
      if (block) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return SendResult.retryable(SendResult.Reason.TIMEOUT, "interrupted");
        }
      }
      var token = request.secret("spec.token");
      sent.add(
          request.notification().receiver().name()
              + ":"
              + request.notification().alerts().size()
              + ":"
              + (token == null ? "-" : token.reveal()));
      return SendResult.delivered();
    }
  }

  private NotificationManager manager(InMemoryConfigSource source, DeliveryOptions options) {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(
            new PagerChannelProvider(
                "Pager",
                ctx -> {
                  context = ctx;
                  return new RecordingChannel();
                }))
        .channel(new PagerChannelProvider("Chat"))
        .channelOption("pager.apiUrl", "http://127.0.0.1:1/")
        .configSource(source)
        .deliveryOptions(options)
        .build();
  }

  private static InMemoryConfigSource source(String yaml) {
    return InMemoryConfigSource.of(Fixtures.yaml(yaml).objects());
  }

  private static final String TOKEN_CONFIG =
      receiver("PagerConfig", "d", "{type: default}", "{token: {name: sec, key: token}}");

  @Test
  void submitEnqueuesOneNotificationPerReceiverAndEachIsDelivered() {
    InMemoryConfigSource src =
        source(
            global("ops") + tenant("shop", "shop") + TOKEN_CONFIG + secret("sec", "token", "b25l"));
    try (NotificationManager nm = manager(src, DeliveryOptions.defaults())) {
      Receipt r = nm.submit(batch(inNamespace("shop"), inNamespace("x"), inNamespace("shop")));
      assertThat(r.duplicate()).isFalse();
      assertThat(r.notifications())
          .extracting(n -> n.receiver().name())
          .containsExactly("ops", "shop");
      assertThat(r.notifications().get(1).alerts()).hasSize(2);
      List<DeliveryOutcome> outcomes = r.allOutcomes().join();
      assertThat(outcomes)
          .extracting(DeliveryOutcome::status)
          .containsOnly(DeliveryOutcome.Status.DELIVERED);
      assertThat(sent).containsExactlyInAnyOrder("ops:3:one", "shop:2:one");
      assertThat(context.options()).isEqualTo(Map.of("apiUrl", "http://127.0.0.1:1/"));
      assertThat(
              nm.history()
                  .query(DeliveryHistory.Query.all().status(DeliveryRecord.Status.DELIVERED)))
          .hasSize(2);
    }
  }

  @Test
  void receiverWithoutConfigIsADeadLetterWithNoConfig() {
    try (NotificationManager nm = manager(source(global("ops")), DeliveryOptions.defaults())) {
      DeliveryOutcome o = nm.submit(batch(inNamespace("x"))).allOutcomes().join().get(0);
      assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
      assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.NO_CONFIG);
      assertThat(o.lastFailure().detail())
          .isEqualTo("PagerReceiver/ops: no PagerConfig selected and no default");
      assertThat(o.attempts()).isEqualTo(1);
    }
  }

  @Test
  void receiverOfAModelOnlyChannelIsADeadLetterWithNoChannel() {
    String yaml =
        receiver("ChatReceiver", "room", "{type: global}", "{to: r}")
            + receiver("ChatConfig", "c", "{type: default}", "{}");
    try (NotificationManager nm = manager(source(yaml), DeliveryOptions.defaults())) {
      DeliveryOutcome o = nm.submit(batch(inNamespace("x"))).allOutcomes().join().get(0);
      assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.NO_CHANNEL);
    }
  }

  @Test
  void missingSecretFailsNamingObjectFieldSecretAndKeyAndARotatedSecretIsUsedAtTheNextSend() {
    InMemoryConfigSource src = source(global("ops") + TOKEN_CONFIG);
    try (NotificationManager nm = manager(src, DeliveryOptions.defaults())) {
      DeliveryOutcome o = nm.submit(batch(inNamespace("x"))).allOutcomes().join().get(0);
      assertThat(o.lastFailure().reason()).isEqualTo(SendResult.Reason.MISSING_SECRET);
      assertThat(o.lastFailure().detail())
          .isEqualTo(
              "PagerConfig/d: spec.token: secret \"sec\" not found among the admin's secrets");

      src.putAll(Fixtures.yaml(secret("sec", "token", "b25l")).objects());
      nm.submit(batch(inNamespace("x"))).allOutcomes().join();
      src.putAll(Fixtures.yaml(secret("sec", "token", "dHdv")).objects());
      nm.submit(batch(inNamespace("y"))).allOutcomes().join();
      assertThat(sent).containsExactly("ops:1:one", "ops:1:two");
    }
  }

  @Test
  void aBatchAlertmanagerResendsIsSuppressed() {
    try (NotificationManager nm =
        manager(
            source(global("ops") + config("d", "{type: default}")), DeliveryOptions.defaults())) {
      AlertBatch b =
          new AlertBatch(
              "am",
              batch(inNamespace("x")).status(),
              batch(inNamespace("x")).alerts(),
              Map.of(),
              Map.of(),
              Map.of(),
              "",
              "{}:{alertname=\"A\"}",
              0);
      assertThat(nm.submit(b).allOutcomes().join()).hasSize(1);
      Receipt again = nm.submit(b);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.notifications()).isEmpty();
      assertThat(sent).hasSize(1);
    }
  }

  @Test
  void fullQueuesRejectTheWholeBatchAndNothingIsEnqueued() {
    block = true;
    DeliveryOptions small =
        DeliveryOptions.builder()
            .workers(1)
            .maxQueuedTotal(2)
            .drainTimeout(Duration.ofSeconds(5))
            .build();
    try (NotificationManager nm =
        manager(source(global("a") + global("b") + config("d", "{type: default}")), small)) {
      Receipt first = nm.submit(batch(inNamespace("x")));
      assertThat(first.notifications()).hasSize(2);
      assertThatThrownBy(() -> nm.submit(batch(inNamespace("y"))))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("2 notifications not accepted");
      release.countDown();
      assertThat(first.allOutcomes().join())
          .extracting(DeliveryOutcome::status)
          .containsOnly(DeliveryOutcome.Status.DELIVERED);
      assertThat(sent).hasSize(2);
    }
  }

  @Test
  void channelOptionsForUnknownChannelsAreRejected() {
    assertThatThrownBy(
            () ->
                NotificationManager.builder()
                    .discoverChannels(false)
                    .channel(new PagerChannelProvider())
                    .channelOption("slack.apiUrl", "x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown channel \"slack\"");
    assertThatThrownBy(() -> NotificationManager.builder().channelOption("apiUrl", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
