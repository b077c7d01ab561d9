package io.nm4j.channel.wechat;

import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import java.util.Objects;

/**
 * The {@code chatbot} block of a {@code WechatReceiver}: a WeChat Work group robot, which posts to
 * one group chat through its webhook.
 *
 * @param webhook the robot's webhook URL ({@code
 *     https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY}), a secret: its key is the robot's
 *     credential
 * @param atUsers member IDs to mention ({@code @all} for everyone in the group)
 * @param atMobiles mobile numbers of members to mention ({@code @all} for everyone)
 */
public record WechatChatbot(
    SecretKeySelector webhook, List<String> atUsers, List<String> atMobiles) {
  /** The field path of the webhook URL, under which the core hands over its value. */
  public static final String WEBHOOK_FIELD = "spec.chatbot.webhook";

  public WechatChatbot {
    Objects.requireNonNull(webhook, "webhook");
    atUsers = List.copyOf(atUsers);
    atMobiles = List.copyOf(atMobiles);
  }
}
