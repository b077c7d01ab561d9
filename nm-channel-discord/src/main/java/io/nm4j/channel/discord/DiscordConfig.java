package io.nm4j.channel.discord;

import io.nm4j.spi.ConfigSpec;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code DiscordConfig}: how a webhook's messages are signed. A receiver's webhook
 * carries its own credential, so a config holds no secret; every receiver still resolves one (a
 * default {@code DiscordConfig} with an empty spec serves them all).
 *
 * @param username the name messages are posted under instead of the webhook's own; {@code null}
 *     keeps the webhook's
 */
public record DiscordConfig(@Nullable String username) implements ConfigSpec {}
