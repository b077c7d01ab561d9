/**
 * The DingTalk channel's kinds: {@link io.nm4j.channel.dingtalk.DingTalkReceiver} and {@link
 * io.nm4j.channel.dingtalk.DingTalkConfig}, parsed and validated by {@link
 * io.nm4j.channel.dingtalk.DingTalkChannelProvider}.
 */
@NullMarked
package io.nm4j.channel.dingtalk;

import org.jspecify.annotations.NullMarked;
