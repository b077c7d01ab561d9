/**
 * The Microsoft Teams channel: its kinds {@link io.nm4j.channel.teams.TeamsReceiver} and {@link
 * io.nm4j.channel.teams.TeamsConfig}, parsed and validated by {@link
 * io.nm4j.channel.teams.TeamsChannelProvider}, and {@link io.nm4j.channel.teams.TeamsChannel},
 * which posts Adaptive Cards to Teams Workflows webhooks.
 */
@NullMarked
package io.nm4j.channel.teams;

import org.jspecify.annotations.NullMarked;
