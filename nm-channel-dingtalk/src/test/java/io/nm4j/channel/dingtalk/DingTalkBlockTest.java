package io.nm4j.channel.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Destination;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dingtalk blocks of notification-manager's v2beta2 objects in upstream's shape: the robot and
 * the chats in the {@code Receiver}, the app's credentials in the {@code Config}.
 */
class DingTalkBlockTest {
  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(List.of(new DingTalkChannelProvider()));

  private static final String CONFIG =
      """
      apiVersion: notification.kubesphere.io/v2beta2
      kind: Config
      metadata:
        name: default-dingtalk
        labels: {type: default}
      spec:
        dingtalk:
          conversation:
            appkey: {valueFrom: {secretKeyRef: {name: dingtalk-app, key: appkey}}}
            appsecret: {valueFrom: {secretKeyRef: {name: dingtalk-app, key: appsecret}}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: dingtalk-app}
      data: {appkey: YXBwa2V5, appsecret: YXBwc2VjcmV0}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-robot, labels: {namespace: shop}}
      data: {webhook: aHR0cHM6Ly9vYXBpLmRpbmd0YWxrLmNvbS9yb2JvdC9zZW5k, secret: U0VDMA==}
      """;

  private static Snapshot snapshot(String yaml) {
    return Snapshot.build(
        Manifests.parse(yaml, "test.yaml"), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  @Test
  void upstreamsReceiverAndConfigParseAndTheReceiverUsesTheDefaultConfigsApp() {
    Snapshot s =
        snapshot(
            CONFIG
                + """
                ---
                apiVersion: notification.kubesphere.io/v2beta2
                kind: Receiver
                metadata:
                  name: shop
                  labels: {type: tenant, namespace: shop}
                spec:
                  dingtalk:
                    dingtalkConfigSelector: {matchLabels: {type: tenant}}
                    alertSelector: {matchLabels: {severity: critical}}
                    tmplType: markdown
                    conversation:
                      chatids: [chat0shop, chat1shop]
                    chatbot:
                      webhook: {valueFrom: {secretKeyRef: {name: shop-robot, key: webhook}}}
                      secret: {valueFrom: {secretKeyRef: {name: shop-robot, key: secret}}}
                      keywords: [kubesphere]
                      atMobiles: ['13800000000']
                      atUsers: [manager7]
                      atAll: false
                """);

    assertThat(s.problems())
        .singleElement()
        .extracting(Problem::toString)
        .asString()
        .startsWith("Receiver/shop[dingtalk]: spec.dingtalk.dingTalkConfigSelector: ")
        .endsWith(
            "selector matched none of tenant shop's configs; using default"
                + " Config/default-dingtalk[dingtalk]");
    Destination d = s.destinations().get(0);
    assertThat(d.receiver()).isEqualTo(new ObjectRef("Receiver", "shop[dingtalk]"));
    assertThat(d.config()).isEqualTo(new ObjectRef("Config", "default-dingtalk[dingtalk]"));
    DingTalkReceiver receiver = (DingTalkReceiver) d.receiverSpec();
    assertThat(receiver.chatids()).containsExactly("chat0shop", "chat1shop");
    assertThat(receiver.chatbot())
        .isEqualTo(
            new DingTalkConfig.Chatbot(
                new SecretKeySelector("shop-robot", "webhook"),
                List.of("kubesphere"),
                new SecretKeySelector("shop-robot", "secret"),
                List.of("13800000000"),
                List.of("manager7"),
                false));
    DingTalkConfig config = (DingTalkConfig) d.configSpec();
    assertThat(config.chatbot()).isNull();
    assertThat(config.conversation())
        .isEqualTo(
            new DingTalkConfig.Conversation(
                new SecretKeySelector("dingtalk-app", "appkey"),
                new SecretKeySelector("dingtalk-app", "appsecret"),
                null));
  }

  @Test
  void aConfigBlockInTheV1alpha1ShapeStillGivesItsRobotAndChatToReceiversThatNameNone() {
    Snapshot s =
        snapshot(
            """
            apiVersion: notification.kubesphere.io/v2beta2
            kind: Config
            metadata:
              name: old-shape
              labels: {type: default}
            spec:
              dingtalk:
                chatbot:
                  webhook: {valueFrom: {secretKeyRef: {name: robot, key: webhook}}}
                conversation:
                  appkey: {valueFrom: {secretKeyRef: {name: robot, key: appkey}}}
                  appsecret: {valueFrom: {secretKeyRef: {name: robot, key: appsecret}}}
                  chatid: chat0ops
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: robot}
            data: {webhook: aHR0cHM6Ly9vYXBpLmRpbmd0YWxrLmNvbS9yb2JvdC9zZW5k, appkey: YQ==, appsecret: Yg==}
            ---
            apiVersion: notification.kubesphere.io/v2beta2
            kind: Receiver
            metadata:
              name: ops
              labels: {type: global}
            spec:
              dingtalk:
                conversation: {chatids: [chat1ops]}
            ---
            apiVersion: notification.kubesphere.io/v2beta2
            kind: Receiver
            metadata:
              name: converted
              labels: {type: global}
            spec:
              dingtalk: {}
            """);

    assertThat(s.problems()).isEmpty();
    assertThat(s.destinations()).hasSize(2);
    DingTalkConfig config = (DingTalkConfig) s.destinations().get(0).configSpec();
    assertThat(config.chatbot()).isNotNull();
    assertThat(config.conversation().chatid()).isEqualTo("chat0ops");
  }

  @Test
  void aTenantsChatsAndMentionsAreBoundedAndChecked() {
    StringBuilder chats = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      chats.append(i == 0 ? "" : ", ").append("chat").append(i);
    }
    Snapshot s =
        snapshot(
            CONFIG
                + """
                ---
                apiVersion: notification.kubesphere.io/v2beta2
                kind: Receiver
                metadata:
                  name: shop
                  labels: {type: tenant, namespace: shop}
                spec:
                  dingtalk:
                    conversation:
                      chatids: [%s]
                    chatbot:
                      webhook: {valueFrom: {secretKeyRef: {name: shop-robot, key: webhook}}}
                      atMobiles: ['call me']
                """
                    .formatted(chats));

    assertThat(s.problems())
        .extracting(Problem::toString)
        .contains(
            "Receiver/shop: spec.dingtalk.conversation.chatids: must hold at most 20 chat IDs,"
                + " had 21",
            "Receiver/shop: spec.dingtalk.chatbot.atMobiles[0]: must be a mobile number, was"
                + " \"call me\"");
    assertThat(s.destinations()).isEmpty();
  }

  @Test
  void aTenantsRobotMayNotBeAnInlineValue() {
    Snapshot s =
        snapshot(
            CONFIG
                + """
                ---
                apiVersion: notification.kubesphere.io/v2beta2
                kind: Receiver
                metadata:
                  name: shop
                  labels: {type: tenant, namespace: shop}
                spec:
                  dingtalk:
                    chatbot:
                      webhook: {value: 'https://oapi.dingtalk.com/robot/send?access_token=t0ken'}
                """);

    assertThat(s.problems())
        .extracting(Problem::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("Receiver/shop: spec.dingtalk.chatbot.webhook: an inline")
                    .doesNotContain("t0ken"));
    assertThat(s.destinations()).isEmpty();
  }

  /** A tenant's Receiver whose dingtalk block names only the shop's robot. */
  private static String robotOnlyReceiver(String name, String tenant) {
    return """
        ---
        apiVersion: notification.kubesphere.io/v2beta2
        kind: Receiver
        metadata:
          name: %s
          labels: {type: tenant, namespace: %s}
        spec:
          dingtalk:
            chatbot:
              webhook: {valueFrom: {secretKeyRef: {name: shop-robot, key: webhook}}}
        """
        .formatted(name, tenant);
  }

  @Test
  void aReceiverNamingOnlyItsRobotNeedsNoConfigAndIsItsOwnConfig() {
    Snapshot s =
        snapshot(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: shop-robot, labels: {namespace: shop}}
            data: {webhook: aHR0cHM6Ly9vYXBpLmRpbmd0YWxrLmNvbS9yb2JvdC9zZW5k}
            ---
            apiVersion: notification.kubesphere.io/v2beta2
            kind: Receiver
            metadata:
              name: shop
              labels: {type: tenant, namespace: shop}
            spec:
              dingtalk:
                chatbot:
                  webhook: {valueFrom: {secretKeyRef: {name: shop-robot, key: webhook}}}
                  keywords: [kubesphere]
                  atAll: true
            """);

    assertThat(s.problems()).isEmpty();
    Destination d = s.destinations().get(0);
    assertThat(d.config()).isEqualTo(new ObjectRef("Receiver", "shop[dingtalk]"));
    DingTalkConfig config = (DingTalkConfig) d.configSpec();
    assertThat(config.conversation()).isNull();
    assertThat(config.chatbot().webhook())
        .isEqualTo(new SecretKeySelector("shop-robot", "webhook"));
    assertThat(((DingTalkReceiver) d.receiverSpec()).chatbot().atAll()).isTrue();
  }

  @Test
  void aRobotOnlyReceiverIgnoresConfigsEvenWhenOneMatches() {
    Snapshot s = snapshot(CONFIG + robotOnlyReceiver("shop", "shop"));

    assertThat(s.problems()).isEmpty();
    assertThat(s.destinations())
        .singleElement()
        .extracting(Destination::config)
        .isEqualTo(new ObjectRef("Receiver", "shop[dingtalk]"));
  }

  @Test
  void aRobotOnlyReceiverNamingAnotherTenantsSecretIsReportedOnce() {
    Snapshot s = snapshot(CONFIG + robotOnlyReceiver("intruder", "other"));

    assertThat(s.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "Receiver/intruder: spec.dingtalk.chatbot.webhook: secret \"shop-robot\" not found"
                + " among tenant other's secrets");
  }

  @Test
  void aReceiverNamingChatsStillSelectsTheConfigHoldingTheApp() {
    Snapshot s =
        snapshot(
            """
            apiVersion: notification.kubesphere.io/v2beta2
            kind: Receiver
            metadata:
              name: ops
              labels: {type: global}
            spec:
              dingtalk:
                conversation: {chatids: [chat1ops]}
            """);

    assertThat(s.problems())
        .extracting(Problem::toString)
        .anySatisfy(
            p -> assertThat(p).startsWith("Receiver/ops[dingtalk]: ").contains("NO_CONFIG"));
    assertThat(s.destinations()).singleElement().extracting(Destination::config).isNull();
  }
}
