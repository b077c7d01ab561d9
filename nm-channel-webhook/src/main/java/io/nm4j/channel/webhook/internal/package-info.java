/** Implementation details of {@code io.nm4j.channel.webhook}; not an API. */
@NullMarked
package io.nm4j.channel.webhook.internal;

import org.jspecify.annotations.NullMarked;
