/**
 * The contracts of nm4j: alert and object values, label selectors, secrets, config sources, tenant
 * resolvers and the channel plugin contract. No dependencies beyond the JDK, so a plugin author
 * needs nothing else to compile.
 */
@NullMarked
package io.nm4j.spi;

import org.jspecify.annotations.NullMarked;
