/**
 * The DingTalk channel: its kinds {@link io.nm4j.channel.dingtalk.DingTalkReceiver} and {@link
 * io.nm4j.channel.dingtalk.DingTalkConfig}, parsed and validated by {@link
 * io.nm4j.channel.dingtalk.DingTalkChannelProvider}, and {@link
 * io.nm4j.channel.dingtalk.DingTalkChannel}, which sends to custom robots and group chats.
 */
@NullMarked
package io.nm4j.channel.dingtalk;

import org.jspecify.annotations.NullMarked;
