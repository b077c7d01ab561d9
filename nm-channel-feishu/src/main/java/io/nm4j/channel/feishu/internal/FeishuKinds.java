package io.nm4j.channel.feishu.internal;

import io.nm4j.channel.feishu.FeishuReceiver;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/** The description of {@code FeishuReceiver} and {@code FeishuConfig}: what the provider parses. */
public final class FeishuKinds {

  /** The receiver's config selector. */
  public static final String SELECTOR = "feishuConfigSelector";

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("feishu", receiver(), config());

  private FeishuKinds() {}

  private static KindDescription receiver() {
    Schema ids =
        Schema.array(Schema.string().pattern(Schemas.NOT_BLANK).maxLength(128))
            .maxItems(FeishuReceiver.MAX_IDS)
            .build();
    Schema chatbot =
        Schema.object()
            .description("A group's custom bot.")
            .required(
                "webhook",
                Schemas.secretKeySelector(
                    "The bot's webhook URL, https://open.feishu.cn/open-apis/bot/v2/hook/..."
                        + " (Lark: https://open.larksuite.com/open-apis/bot/v2/hook/...)."))
            .property(
                "keywords",
                Schema.array(Schema.string().pattern(Schemas.NOT_BLANK))
                    .maxItems(FeishuReceiver.MAX_KEYWORDS)
                    .description(
                        "The bot's keywords, at most "
                            + FeishuReceiver.MAX_KEYWORDS
                            + "; a message containing none of them ends with a line naming"
                            + " them."))
            .property(
                "secret",
                Schemas.secretKeySelector("The bot's signing secret, when it checks signatures."))
            .build();
    return KindDescription.of(
        "FeishuReceiver",
        "A receiver of Feishu (Lark) notifications: users and departments the FeishuConfig's app"
            + " sends to, a group's custom bot, or both.",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        "user",
                        ids.toBuilder()
                            .description(
                                "User IDs the app sends to, at most "
                                    + FeishuReceiver.MAX_IDS
                                    + ".")
                            .build())
                    .property(
                        "department",
                        ids.toBuilder()
                            .description(
                                "Department IDs the app sends to, at most "
                                    + FeishuReceiver.MAX_IDS
                                    + ".")
                            .build())
                    .property("chatbot", chatbot)
                    .property(
                        SELECTOR,
                        Schemas.labelSelector(
                            "Which FeishuConfig to use among those the receiver may see; absent means"
                                + " the default FeishuConfig."))
                    .rule(
                        "has(self.user) || has(self.department) || has(self.chatbot)",
                        "one of user, department, chatbot is required"),
                FeishuRenderer.SLOTS)
            .property(
                "tmplType",
                Schema.string()
                    .enumValues(FeishuReceiver.POST, FeishuReceiver.TEXT)
                    .description(
                        "How the message is sent: post (rich text, the default) or text; both"
                            + " render the same template."))
            .build());
  }

  private static KindDescription config() {
    return KindDescription.of(
        "FeishuConfig",
        "The Feishu (Lark) app that sends to users and departments. Without appID and appSecret it"
            + " serves receivers that only have a custom bot.",
        Schema.object()
            .property("appID", Schemas.secretKeySelector("The app's ID (cli_...)."))
            .property("appSecret", Schemas.secretKeySelector("The app's secret."))
            .rule("has(self.appID) == has(self.appSecret)", "appID and appSecret go together")
            .build());
  }
}
