package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/** The description of {@code WechatReceiver} and {@code WechatConfig}: what the provider parses. */
public final class WechatKinds {

  /** IDs joined by {@code |}, none of them empty; blank means none. */
  static final String IDS = "^(\\s*|[^|]*[^|\\s][^|]*(\\|[^|]*[^|\\s][^|]*)*)$";

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("wechat", receiver(), config())
          .withSettingsOptions(options())
          .withReceiverBlock(receiverBlock());

  private WechatKinds() {}

  /** The wechat block of a v2beta2 Receiver: upstream lists the IDs; its chatbot is the same. */
  private static Schema receiverBlock() {
    return Schema.object()
        .property(
            "wechatConfigSelector",
            Schemas.labelSelector(
                "Which wechat block of a Config to use; absent means the default Config."))
        .property("toUser", Schema.array(Schema.string()).description("User IDs."))
        .property("toParty", Schema.array(Schema.string()).description("Department IDs."))
        .property("toTag", Schema.array(Schema.string()).description("Tag IDs."))
        .property("chatbot", chatbot())
        .rule(
            "(has(self.toUser) && size(self.toUser) > 0)"
                + " || (has(self.toParty) && size(self.toParty) > 0)"
                + " || (has(self.toTag) && size(self.toTag) > 0)"
                + " || has(self.chatbot)",
            "one of toUser, toParty, toTag, chatbot is required")
        .build();
  }

  private static Schema ids(String what) {
    return Schema.string()
        .pattern(IDS)
        .description(what + ", joined by | (\"u1|u2\"); none empty.")
        .build();
  }

  private static KindDescription receiver() {
    return KindDescription.of(
        "WechatReceiver",
        "Who gets notifications as WeChat Work app messages, and which WechatConfig sends them.",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        "wechatConfigSelector",
                        Schemas.labelSelector(
                            "Which WechatConfig to use among those the receiver may see; absent means"
                                + " the default WechatConfig."))
                    .property("toUser", ids("User IDs"))
                    .property("toParty", ids("Department IDs"))
                    .property("toTag", ids("Tag IDs"))
                    .property("chatbot", chatbot())
                    .rule(
                        "(has(self.toUser) && self.toUser.matches(r'\\S'))"
                            + " || (has(self.toParty) && self.toParty.matches(r'\\S'))"
                            + " || (has(self.toTag) && self.toTag.matches(r'\\S'))"
                            + " || has(self.chatbot)",
                        "one of toUser, toParty, toTag, chatbot is required"),
                WechatRenderer.SLOTS)
            .build());
  }

  /** A member ID to mention, or {@code @all}. */
  public static final String MEMBER = "^(@all|[A-Za-z0-9_.@-]{1,64})$";

  /** A mobile number to mention, or {@code @all}. */
  public static final String MOBILE = "^(@all|\\+?[0-9]{5,20})$";

  /** At most this many mentions of each kind. */
  public static final int MAX_MENTIONS = 100;

  private static Schema chatbot() {
    return Schema.object()
        .description("A WeChat Work group robot: notifications are also posted to its group chat.")
        .required(
            "webhook",
            Schemas.secretKeySelector(
                "The robot's webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY);"
                    + " its key is the robot's credential."))
        .property(
            "atUsers",
            Schema.array(Schema.string().pattern(MEMBER))
                .maxItems(MAX_MENTIONS)
                .description("Member IDs mentioned in the first message; @all mentions everyone."))
        .property(
            "atMobiles",
            Schema.array(Schema.string().pattern(MOBILE))
                .maxItems(MAX_MENTIONS)
                .description(
                    "Mobile numbers of members mentioned in the first message; @all mentions"
                        + " everyone."))
        .build();
  }

  private static KindDescription config() {
    return KindDescription.of(
        "WechatConfig",
        "The WeChat Work app (corp ID, agent ID, secret) that sends WeChat notifications.",
        Schema.object()
            .property(
                "wechatApiUrl",
                Schema.string()
                    .pattern("^\\s*[hH][tT][tT][pP][sS]?://[^/?#@\\s]+(/[^?#\\s]*)?\\s*$")
                    .defaultValue("https://qyapi.weixin.qq.com/cgi-bin/")
                    .description(
                        "The API base, an http(s) URL without user info, query or fragment."))
            .required(
                "wechatApiCorpId",
                Schema.string().pattern(Schemas.NOT_BLANK).description("The corp ID."))
            .required(
                "wechatApiAgentId",
                Schema.intOrString()
                    .description("The app's numeric AgentId; a string of digits or a number.")
                    .rule(
                        "type(self) == int ? self >= 0 && self <= 999999999999999999"
                            + " : self.matches('^[0-9]{1,18}$')",
                        "must be the app's numeric AgentId"))
            .required("wechatApiSecret", Schemas.secretKeySelector("The app's secret."))
            .build());
  }

  /** The v1alpha1 {@code spec.receivers.options.wechat} block of the settings. */
  private static Schema options() {
    return Schemas.notificationManagerOptions("WeChat").toBuilder()
        .property(
            "messageMaxSize",
            Schema.integer()
                .description(
                    "Split app messages above this many UTF-8 bytes, "
                        + WechatSettingsOptions.MIN_CONTENT_BYTES
                        + " at least; above WeChat Work's 2048 the limit is used. Group robot"
                        + " messages keep the robot's own limit."))
        .property(
            "tokenExpires",
            Schema.intOrString()
                .description(
                    "Keep an access token at most this long (nanoseconds or text, 1h); never"
                        + " longer than WeChat Work says it lasts."))
        .build();
  }
}
