/** Implementation details of {@code io.nm4j.channel.feishu}; not an API. */
@NullMarked
package io.nm4j.channel.feishu.internal;

import org.jspecify.annotations.NullMarked;
