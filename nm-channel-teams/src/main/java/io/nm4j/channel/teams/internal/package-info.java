/** Implementation details of {@code io.nm4j.channel.teams}; not an API. */
@NullMarked
package io.nm4j.channel.teams.internal;

import org.jspecify.annotations.NullMarked;
