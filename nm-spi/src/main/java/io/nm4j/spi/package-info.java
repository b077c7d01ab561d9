/**
 * The contracts of nm4j: alert and object values, label selectors, secrets, config sources, tenant
 * resolvers and the channel plugin contract, with the small pure helpers every channel renders and
 * resumes with ({@link io.nm4j.spi.AlertFormat}, {@link io.nm4j.spi.TextSplitter}, {@link
 * io.nm4j.spi.RetryAfter}, {@link io.nm4j.spi.SendProgress}). No dependencies beyond the JDK, so a
 * plugin author needs nothing else to compile.
 */
@NullMarked
package io.nm4j.spi;

import org.jspecify.annotations.NullMarked;
