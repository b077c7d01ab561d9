/**
 * The Feishu (Lark) channel: its kinds {@link io.nm4j.channel.feishu.FeishuReceiver} and {@link
 * io.nm4j.channel.feishu.FeishuConfig}, parsed and validated by {@link
 * io.nm4j.channel.feishu.FeishuChannelProvider}, and {@link io.nm4j.channel.feishu.FeishuChannel},
 * which sends to custom bots and, through an app, to users and departments.
 */
@NullMarked
package io.nm4j.channel.feishu;

import org.jspecify.annotations.NullMarked;
