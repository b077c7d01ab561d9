package io.nm4j.channel.dingtalk.internal;

import io.nm4j.channel.dingtalk.DingTalkConfig;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/**
 * The description of {@code DingTalkReceiver} and {@code DingTalkConfig}: what the provider parses.
 */
public final class DingTalkKinds {

  /** The receiver's config selector as v1alpha1 spells it. */
  public static final String SELECTOR = "dingTalkConfigSelector";

  /** The spelling of later API versions, accepted as an alias. */
  public static final String SELECTOR_ALIAS = "dingtalkConfigSelector";

  /** A group chat ID of a v2beta2 receiver's {@code conversation.chatids}. */
  public static final String CHAT_ID = "^[A-Za-z0-9_.=+/-]{1,128}$";

  /** A v2beta2 receiver names at most this many group chats: each is a call of its own. */
  public static final int MAX_CHATS = 20;

  /** A mobile number a robot's message mentions. */
  public static final String MOBILE = "^\\+?[0-9][0-9-]{4,19}$";

  /** A user ID a robot's message mentions. */
  public static final String USER_ID = "^[A-Za-z0-9_.@-]{1,64}$";

  /** A robot's message mentions at most this many members of each kind. */
  public static final int MAX_MENTIONS = 100;

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("dingtalk", receiver(), config())
          .withSettingsOptions(options())
          .withReceiverBlock(receiverBlock())
          .withConfigBlock(configBlock());

  private DingTalkKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "DingTalkReceiver",
        "A receiver of DingTalk notifications: the DingTalkConfig it selects says where they go"
            + " (a robot, a group chat or both).",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        SELECTOR,
                        Schemas.labelSelector(
                            "Which DingTalkConfig to use among those the receiver may see; absent means"
                                + " the default DingTalkConfig."))
                    .property(
                        SELECTOR_ALIAS,
                        Schemas.labelSelector(
                            "The spelling of later notification-manager versions; give one of the two."))
                    .rule(
                        "!(has(self." + SELECTOR + ") && has(self." + SELECTOR_ALIAS + "))",
                        "give either "
                            + SELECTOR
                            + " or its alias "
                            + SELECTOR_ALIAS
                            + ", not both"),
                MarkdownRenderer.SLOTS)
            .build());
  }

  /**
   * The dingtalk block of a v2beta2 Receiver, as notification-manager has it: the robot (with the
   * members its messages mention) and the group chats are the receiver's.
   */
  private static Schema receiverBlock() {
    Schema chatbot =
        chatbot().toBuilder()
            .property(
                "atMobiles",
                Schema.array(Schema.string().pattern(MOBILE))
                    .maxItems(MAX_MENTIONS)
                    .description("Mobile numbers of the group members every message mentions."))
            .property(
                "atUsers",
                Schema.array(Schema.string().pattern(USER_ID))
                    .maxItems(MAX_MENTIONS)
                    .description("User IDs of the group members every message mentions."))
            .property(
                "atAll",
                Schema.bool().defaultValue("false").description("Every message mentions everyone."))
            .build();
    Schema conversation =
        Schema.object()
            .description("Group chats the enterprise app of the selected Config posts to.")
            .required(
                "chatids",
                Schema.array(Schema.string().pattern(CHAT_ID))
                    .minItems(1)
                    .maxItems(MAX_CHATS)
                    .description("The group chats' IDs, at most " + MAX_CHATS + "."))
            .build();
    return Schemas.withTemplateFields(
            Schema.object()
                .property(
                    SELECTOR_ALIAS,
                    Schemas.labelSelector(
                        "Which dingtalk block of a Config to use; absent means the default Config."))
                .property(
                    SELECTOR,
                    Schemas.labelSelector("The spelling of v1alpha1; give one of the two."))
                .property("chatbot", chatbot)
                .property("conversation", conversation)
                .rule(
                    "!(has(self." + SELECTOR + ") && has(self." + SELECTOR_ALIAS + "))",
                    "give either " + SELECTOR + " or its alias " + SELECTOR_ALIAS + ", not both"),
            MarkdownRenderer.SLOTS)
        .build();
  }

  /**
   * The dingtalk block of a v2beta2 Config, as notification-manager has it: the enterprise app its
   * receivers' group chats are sent through, or nothing for receivers that name only a robot. The
   * robot and the chat ID of the v1alpha1 kind are still read there.
   */
  private static Schema configBlock() {
    return Schema.object()
        .property(
            "conversation",
            Schema.object()
                .description("The enterprise app that posts to the receivers' group chats.")
                .required("appkey", Schemas.secretKeySelector("The app's AppKey."))
                .required("appsecret", Schemas.secretKeySelector("The app's AppSecret."))
                .property(
                    "chatid",
                    Schema.string()
                        .pattern(CHAT_ID)
                        .description(
                            "A group chat every receiver of this config also posts to (nm4j; as"
                                + " in v1alpha1)."))
                .build())
        .property(
            "chatbot",
            chatbot().toBuilder()
                .description(
                    "A robot for receivers that name none (nm4j; as in v1alpha1): notification-manager"
                        + " names the robot in the Receiver.")
                .build())
        .build();
  }

  private static Schema chatbot() {
    return Schema.object()
        .description("A custom robot of a group chat.")
        .required(
            "webhook",
            Schemas.secretKeySelector(
                "The robot's webhook URL, https://oapi.dingtalk.com/robot/send?access_token=..."))
        .property(
            "keywords",
            Schema.array(Schema.string().pattern(Schemas.NOT_BLANK))
                .maxItems(DingTalkConfig.MAX_KEYWORDS)
                .description(
                    "The robot's security keywords, at most "
                        + DingTalkConfig.MAX_KEYWORDS
                        + "; the first is put into every message."))
        .property(
            "secret",
            Schemas.secretKeySelector("The robot's signing secret (SEC...), when it signs."))
        .build();
  }

  private static KindDescription config() {
    Schema chatbot = chatbot();
    Schema conversation =
        Schema.object()
            .description("An enterprise app posting to a group chat.")
            .required("appkey", Schemas.secretKeySelector("The app's AppKey."))
            .required("appsecret", Schemas.secretKeySelector("The app's AppSecret."))
            .required(
                "chatid",
                Schema.string().pattern(Schemas.NOT_BLANK).description("The group chat's ID."))
            .build();
    return KindDescription.of(
        "DingTalkConfig",
        "Where DingTalk notifications go: a robot, a group chat through an app, or both.",
        Schema.object()
            .property("chatbot", chatbot)
            .property("conversation", conversation)
            .rule(
                "has(self.chatbot) || has(self.conversation)",
                "one of chatbot, conversation is required")
            .build());
  }

  /** The v1alpha1 {@code spec.receivers.options.dingtalk} block of the settings. */
  private static Schema options() {
    Schema throttle =
        Schema.object()
            .property(
                "threshold",
                Schema.integer()
                    .minimum(1)
                    .description("Messages allowed per unit, to each robot or group chat."))
            .property(
                "unit",
                Schema.intOrString()
                    .description("The unit's length: nanoseconds or text (1m); default 1s."))
            .property(
                "maxWaitTime",
                Schema.intOrString()
                    .description(
                        "How long a message may wait for the throttle without counting as a"
                            + " failed attempt; a longer wait is retried later as an attempt."
                            + " Absent: wait as long as it takes."))
            .build();
    return Schemas.notificationManagerOptions("DingTalk").toBuilder()
        .property(
            "tokenExpires",
            Schema.intOrString()
                .description(
                    "Keep a group chat access token at most this long (nanoseconds or text, 1h);"
                        + " never longer than DingTalk says it lasts."))
        .property(
            "conversationMessageMaxSize",
            Schema.integer()
                .description(
                    "Split group chat messages above this many UTF-8 bytes, "
                        + DingTalkSettingsOptions.MIN_TEXT_BYTES
                        + " at least; above DingTalk's limit the limit is used."))
        .property(
            "chatbotMessageMaxSize",
            Schema.integer()
                .description(
                    "Split robot messages above this many UTF-8 bytes, "
                        + DingTalkSettingsOptions.MIN_TEXT_BYTES
                        + " at least; above DingTalk's limit the limit is used."))
        .property(
            "chatBotThrottle",
            throttle.toBuilder()
                .description(
                    "A rate for each robot besides DingTalk's 20 a minute; a faster one is not"
                        + " used.")
                .build())
        .property(
            "conversationThrottle",
            throttle.toBuilder().description("A rate for each group chat.").build())
        .build();
  }
}
