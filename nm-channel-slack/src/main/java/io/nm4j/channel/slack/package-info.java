/**
 * The Slack channel: its kinds {@link io.nm4j.channel.slack.SlackReceiver} and {@link
 * io.nm4j.channel.slack.SlackConfig}, parsed and validated by {@link
 * io.nm4j.channel.slack.SlackChannelProvider}, and {@link io.nm4j.channel.slack.SlackChannel},
 * which posts alerts with {@code chat.postMessage}.
 */
@NullMarked
package io.nm4j.channel.slack;

import org.jspecify.annotations.NullMarked;
