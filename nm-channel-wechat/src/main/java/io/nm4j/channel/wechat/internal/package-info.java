/** Details of the WeChat Work channel: rendering, splitting, batching, tokens and reply codes. */
@NullMarked
package io.nm4j.channel.wechat.internal;

import org.jspecify.annotations.NullMarked;
