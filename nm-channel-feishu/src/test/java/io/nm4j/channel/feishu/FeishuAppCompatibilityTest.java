package io.nm4j.channel.feishu;

import io.nm4j.channel.feishu.internal.FeishuRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;

/**
 * Users and departments through an app, against the kit: a tenant access token first
 * (open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal),
 * then {@code message/v4/batch_send}.
 */
class FeishuAppCompatibilityTest extends FeishuCompatibilityKit {

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "user",
        List.of("7f1b2c3d", "8a9b0c1d"),
        "department",
        List.of("od-4e6ac4d14bcd5071a37a39de902c7141"),
        "tmplType",
        "text");
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return appConfigSpec();
  }

  @Override
  protected Map<String, Secret> secrets() {
    return appSecrets();
  }

  /** Forty alerts with long descriptions: several messages after one token. */
  @Override
  protected Resumption<MockResponse> resumption() {
    List<Alert> alerts = manyAlerts(40, 900);
    int messages =
        FeishuRenderer.messages(
                renderedText(alerts), "text", List.of(), FeishuChannel.MAX_CONTENT_BYTES - 200)
            .size();
    List<MockResponse> all = new ArrayList<>();
    all.add(FeishuReplies.token(FeishuReplies.TOKEN));
    for (int i = 0; i < messages; i++) {
      all.add(FeishuReplies.batchOk(""));
    }
    return new Resumption<>(
        validReceiverSpec(),
        alerts,
        List.of(
            FeishuReplies.token(FeishuReplies.TOKEN),
            FeishuReplies.batchOk(""),
            new MockResponse.Builder().code(503).build()),
        all);
  }

  /** The token is fetched once per channel: later messages of a send reuse it. */
  @Override
  protected List<MockResponse> successReplies() {
    return List.of(FeishuReplies.token(FeishuReplies.TOKEN), FeishuReplies.batchOk(""));
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse token = FeishuReplies.token(FeishuReplies.TOKEN);
    return List.of(
        new ErrorReply<>(
            "token refused: code 10014 app secret invalid",
            List.of(FeishuReplies.code(10014, "app secret invalid")),
            Reason.AUTH_REJECTED,
            false,
            null),
        new ErrorReply<>(
            "token invalid twice: 99991663, refreshed, 99991663",
            List.of(
                token,
                FeishuReplies.code(99991663, "Invalid access token for authorization"),
                FeishuReplies.token("t-second"),
                FeishuReplies.code(99991663, "Invalid access token for authorization")),
            Reason.AUTH_REJECTED,
            false,
            null),
        new ErrorReply<>(
            "HTTP 429 code 99991400",
            List.of(token, FeishuReplies.frequencyLimit(429, 30)),
            Reason.RATE_LIMITED,
            true,
            java.time.Duration.ofSeconds(30)),
        new ErrorReply<>(
            "HTTP 503",
            List.of(token, new MockResponse.Builder().code(503).build()),
            Reason.REMOTE_ERROR,
            true,
            null),
        new ErrorReply<>(
            "code 230001 invalid receive id",
            List.of(
                token,
                FeishuReplies.code(230001, "Your request contains an invalid request parameter")),
            Reason.REJECTED,
            false,
            null));
  }

  @Override
  protected List<BadSpec> badSpecs() {
    return List.of(
        BadSpec.receiver(
            "201 users", Map.of("user", java.util.Collections.nCopies(201, "ou_1")), "spec.user"),
        BadSpec.config(
            "appSecret without appID",
            Map.of("appSecret", Map.of("name", "a", "key", "s")),
            "spec.appID"));
  }

  /** The built-in template's text for {@code alerts}, as the channel renders it. */
  private String renderedText(List<Alert> alerts) {
    return new FeishuRenderer(TemplateEngine.onClassPath(getClass().getClassLoader()))
        .render(notification(alerts), RenderOptions.DEFAULT)
        .text();
  }
}
