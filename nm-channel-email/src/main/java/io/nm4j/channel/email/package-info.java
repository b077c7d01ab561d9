/**
 * The e-mail channel: its kinds {@link io.nm4j.channel.email.EmailReceiver} and {@link
 * io.nm4j.channel.email.EmailConfig}, parsed and validated by {@link
 * io.nm4j.channel.email.EmailChannelProvider}, and {@link io.nm4j.channel.email.EmailChannel},
 * which sends them over SMTP with Jakarta Mail.
 */
@NullMarked
package io.nm4j.channel.email;

import org.jspecify.annotations.NullMarked;
