package io.nm4j.channel.teams;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code TeamsReceiver}: the Teams Workflows webhook its notifications are posted to.
 * The webhook URL carries the workflow's signature, so it is a credential and lives in a secret.
 *
 * @param teamsConfigSelector selects the config; {@code null} means the default config
 * @param webhook the secret holding the workflow's webhook URL
 */
public record TeamsReceiver(@Nullable LabelSelector teamsConfigSelector, SecretKeySelector webhook)
    implements ReceiverSpec {

  /** Field path of the webhook URL secret. */
  public static final String WEBHOOK = "spec.webhook";

  public TeamsReceiver {
    Objects.requireNonNull(webhook, "webhook");
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return teamsConfigSelector;
  }

  /** {@code spec.webhook}. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of(WEBHOOK, webhook);
  }
}
