/**
 * The Telegram channel: its kinds {@link io.nm4j.channel.telegram.TelegramReceiver} and {@link
 * io.nm4j.channel.telegram.TelegramConfig}, parsed and validated by {@link
 * io.nm4j.channel.telegram.TelegramChannelProvider}, and {@link
 * io.nm4j.channel.telegram.TelegramChannel}, which posts alerts with the Bot API's {@code
 * sendMessage}.
 */
@NullMarked
package io.nm4j.channel.telegram;

import org.jspecify.annotations.NullMarked;
