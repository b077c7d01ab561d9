package io.nm4j.channel.teams;

import io.nm4j.spi.ConfigSpec;

/**
 * The spec of a {@code TeamsConfig}: empty. A Teams workflow needs nothing beyond its webhook URL,
 * which is the receiver's; the config exists because every receiver routes through a config of its
 * kind (create one default {@code TeamsConfig} with {@code spec: {}}), and the operator's proxy is
 * a channel option ({@code teams.proxyUrl}).
 */
public record TeamsConfig() implements ConfigSpec {}
