/** Implementation details of {@code io.nm4j.channel.telegram}; not an API. */
@NullMarked
package io.nm4j.channel.telegram.internal;

import org.jspecify.annotations.NullMarked;
