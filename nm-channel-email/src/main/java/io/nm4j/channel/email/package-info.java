/**
 * The e-mail channel's kinds: {@link io.nm4j.channel.email.EmailReceiver} and {@link
 * io.nm4j.channel.email.EmailConfig}, parsed and validated by {@link
 * io.nm4j.channel.email.EmailChannelProvider}.
 */
@NullMarked
package io.nm4j.channel.email;

import org.jspecify.annotations.NullMarked;
