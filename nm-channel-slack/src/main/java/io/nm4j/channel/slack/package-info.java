/**
 * The Slack channel's kinds: {@link io.nm4j.channel.slack.SlackReceiver} and {@link
 * io.nm4j.channel.slack.SlackConfig}, parsed and validated by {@link
 * io.nm4j.channel.slack.SlackChannelProvider}.
 */
@NullMarked
package io.nm4j.channel.slack;

import org.jspecify.annotations.NullMarked;
