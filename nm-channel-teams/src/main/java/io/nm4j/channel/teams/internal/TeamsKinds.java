package io.nm4j.channel.teams.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/** The description of {@code TeamsReceiver} and {@code TeamsConfig}: what the provider parses. */
public final class TeamsKinds {

  /** The receiver's config selector. */
  public static final String SELECTOR = "teamsConfigSelector";

  /**
   * notification-manager has no Teams block; {@code teams} is the name nm4j gives it in the unified
   * kinds.
   */
  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("teams", receiver(), config());

  private TeamsKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "TeamsReceiver",
        "A receiver of Microsoft Teams notifications: the Teams Workflows webhook (\"When a Teams"
            + " webhook request is received\") its Adaptive Cards are posted to.",
        Schemas.withTemplateFields(
                Schema.object()
                    .required(
                        "webhook",
                        Schemas.secretKeySelector(
                            "The workflow's webhook URL (https://...powerplatform.com/... or"
                                + " https://...logic.azure.com/...); it carries the workflow's signature,"
                                + " so it is kept in a secret."))
                    .property(
                        SELECTOR,
                        Schemas.labelSelector(
                            "Which TeamsConfig to use among those the receiver may see; absent means the"
                                + " default TeamsConfig.")),
                AdaptiveCardRenderer.SLOTS)
            .build());
  }

  private static KindDescription config() {
    return KindDescription.of(
        "TeamsConfig",
        "Settings of Microsoft Teams notifications. It has no fields yet: a receiver needs one"
            + " (a default TeamsConfig with an empty spec serves every receiver), and the proxy is"
            + " the operator's channel option teams.proxyUrl.",
        Schema.object().build());
  }
}
