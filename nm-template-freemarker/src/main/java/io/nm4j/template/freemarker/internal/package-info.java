/** The FreeMarker engine's sandbox: output formats, the model's wrapper, the caps. */
@NullMarked
package io.nm4j.template.freemarker.internal;

import org.jspecify.annotations.NullMarked;
