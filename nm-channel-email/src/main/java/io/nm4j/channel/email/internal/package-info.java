/** Details of the e-mail channel; not part of its API. */
@NullMarked
package io.nm4j.channel.email.internal;

import org.jspecify.annotations.NullMarked;
