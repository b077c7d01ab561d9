/**
 * The Discord channel: its kinds {@link io.nm4j.channel.discord.DiscordReceiver} and {@link
 * io.nm4j.channel.discord.DiscordConfig}, parsed and validated by {@link
 * io.nm4j.channel.discord.DiscordChannelProvider}, and {@link
 * io.nm4j.channel.discord.DiscordChannel}, which posts alerts through a channel's webhook.
 */
@NullMarked
package io.nm4j.channel.discord;

import org.jspecify.annotations.NullMarked;
