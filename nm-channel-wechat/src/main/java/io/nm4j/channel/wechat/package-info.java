/**
 * The WeChat Work channel's kinds: {@link io.nm4j.channel.wechat.WechatReceiver} and {@link
 * io.nm4j.channel.wechat.WechatConfig}, parsed and validated by {@link
 * io.nm4j.channel.wechat.WechatChannelProvider}.
 */
@NullMarked
package io.nm4j.channel.wechat;

import org.jspecify.annotations.NullMarked;
