/** Details of the admin API. */
@NullMarked
package io.nm4j.core.internal.admin;

import org.jspecify.annotations.NullMarked;
