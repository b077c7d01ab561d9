/** Details of the contracts' values, not part of the API: the module does not export them. */
@NullMarked
package io.nm4j.spi.internal;

import org.jspecify.annotations.NullMarked;
