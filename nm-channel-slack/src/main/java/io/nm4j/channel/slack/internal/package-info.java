/** Implementation details of {@code io.nm4j.channel.slack}; not an API. */
@NullMarked
package io.nm4j.channel.slack.internal;

import org.jspecify.annotations.NullMarked;
