/** Implementation details of {@code io.nm4j.channel.discord}; not an API. */
@NullMarked
package io.nm4j.channel.discord.internal;

import org.jspecify.annotations.NullMarked;
