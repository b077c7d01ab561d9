/**
 * An example of a third-party channel: {@code NtfyReceiver} and {@code NtfyConfig} publish
 * notifications to topics of an <a href="https://ntfy.sh">ntfy</a> server. Written against {@code
 * nm-spi} alone and shipped as a plugin jar ({@code nm4j serve --plugins DIR}); {@code
 * docs/WRITING-A-CHANNEL.md} walks through it.
 */
@NullMarked
package io.nm4j.examples.ntfy;

import org.jspecify.annotations.NullMarked;
