/** Programs that show how a host application embeds nm4j, without the server. */
@NullMarked
package io.nm4j.examples;

import org.jspecify.annotations.NullMarked;
