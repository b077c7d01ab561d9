package io.nm4j.channel.feishu;

import io.nm4j.channel.feishu.internal.FeishuRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * A custom bot that checks signatures and keywords, against the kit. Codes from the custom bot
 * guide of the Feishu open platform (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot) and
 * its frequency control page
 * (open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
 */
class FeishuChatbotCompatibilityTest extends FeishuCompatibilityKit {

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "chatbot",
        Map.of(
            "webhook", Map.of("name", "feishu-bot", "key", "webhook"),
            "secret", Map.of("name", "feishu-bot", "key", "sign"),
            "keywords", List.of("alert")),
        "feishuConfigSelector",
        Map.of("matchLabels", Map.of("type", "default")));
  }

  /** A config without an app serves a receiver with a bot only. */
  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of();
  }

  @Override
  protected Map<String, Secret> secrets() {
    return botSecrets(server);
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(FeishuReplies.botOk());
  }

  @Override
  protected Resumption<MockResponse> resumption() {
    List<Alert> alerts = manyAlerts(40, 900);
    int messages =
        FeishuRenderer.messages(
                renderedText(alerts), "post", List.of("alert"), FeishuChannel.MAX_CONTENT_BYTES)
            .size();
    List<MockResponse> all = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      all.add(FeishuReplies.botOk());
    }
    return new Resumption<>(
        validReceiverSpec(),
        alerts,
        List.of(FeishuReplies.botOk(), FeishuReplies.code(11232, "frequency limited psm")),
        all);
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    return List.of(
        ErrorReply.of(
            "code 11232 frequency limited",
            FeishuReplies.code(11232, "frequency limited psm[lark.oapi.app_platform_runtime]"),
            Reason.RATE_LIMITED,
            true),
        ErrorReply.of(
                "HTTP 429 code 99991400, x-ogw-ratelimit-reset 52",
                FeishuReplies.frequencyLimit(429, 52),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofSeconds(52)),
        ErrorReply.of(
                "HTTP 400 code 99991400 (older APIs)",
                FeishuReplies.frequencyLimit(400, 7),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofSeconds(7)),
        ErrorReply.of(
            "code 9499 Bad Request",
            FeishuReplies.code(9499, "Bad Request"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "code 9499 too many request",
            FeishuReplies.code(9499, "too many request"),
            Reason.RATE_LIMITED,
            true),
        ErrorReply.of(
            "code 19021 sign match fail",
            FeishuReplies.code(
                19021, "sign match fail or timestamp is not within one hour from current time"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "code 19022 Ip Not Allowed",
            FeishuReplies.code(19022, "Ip Not Allowed"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "code 19024 Key Words Not Found",
            FeishuReplies.code(19024, "Key Words Not Found"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "HTTP 500", new MockResponse.Builder().code(500).build(), Reason.REMOTE_ERROR, true),
        ErrorReply.of(
            "HTTP 200 that is not Feishu's JSON",
            new MockResponse.Builder().code(200).body("<html>portal</html>").build(),
            Reason.REMOTE_ERROR,
            true),
        new ErrorReply<>(
            "connection dropped",
            List.of(dropped(), dropped()),
            Reason.CONNECTION_FAILED,
            true,
            null));
  }

  @Override
  protected List<BadSpec> badSpecs() {
    return List.of(
        BadSpec.receiver("no target", Map.of(), "spec"),
        BadSpec.receiver(
            "chatbot without webhook", Map.of("chatbot", Map.of()), "spec.chatbot.webhook"),
        BadSpec.receiver(
            "webhook as plain text",
            Map.of("chatbot", Map.of("webhook", "https://open.feishu.cn/open-apis/bot/v2/hook/x")),
            "spec.chatbot.webhook"),
        BadSpec.receiver(
            "eleven keywords",
            Map.of(
                "chatbot",
                Map.of(
                    "webhook",
                    Map.of("name", "b", "key", "w"),
                    "keywords",
                    List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"))),
            "spec.chatbot.keywords"),
        BadSpec.receiver("blank user ID", Map.of("user", List.of("ou_1", " ")), "spec.user[1]"),
        BadSpec.receiver(
            "unknown tmplType",
            Map.of("user", List.of("ou_1"), "tmplType", "markdown"),
            "spec.tmplType"),
        BadSpec.config(
            "appID without appSecret",
            Map.of("appID", Map.of("name", "a", "key", "id")),
            "spec.appSecret"),
        BadSpec.config(
            "appSecret as plain text",
            Map.of("appID", Map.of("name", "a", "key", "id"), "appSecret", "s"),
            "spec.appSecret"));
  }

  /** The built-in template's text for {@code alerts}, as the channel renders it. */
  private String renderedText(List<Alert> alerts) {
    return new FeishuRenderer(TemplateEngine.onClassPath(getClass().getClassLoader()))
        .render(notification(alerts), RenderOptions.DEFAULT)
        .text();
  }
}
