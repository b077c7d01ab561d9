/**
 * The contracts of nm4j: alert and object values, label selectors, secrets, config sources, tenant
 * resolvers and the channel plugin contract. It reads only the JDK (JSpecify's annotations are
 * needed to compile against it, not to run).
 */
module io.nm4j.spi {
  requires static transitive org.jspecify;

  exports io.nm4j.spi;

  uses io.nm4j.spi.TemplateEngine;
}
