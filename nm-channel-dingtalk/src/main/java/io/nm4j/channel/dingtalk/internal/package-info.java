/** Implementation details of {@code io.nm4j.channel.dingtalk}; not an API. */
@NullMarked
package io.nm4j.channel.dingtalk.internal;

import org.jspecify.annotations.NullMarked;
