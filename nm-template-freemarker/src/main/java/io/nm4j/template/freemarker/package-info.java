/**
 * The default template engine of nm4j: {@link io.nm4j.template.freemarker.FreeMarkerTemplateEngine}
 * compiles FreeMarker 2.3 templates in a sandbox fit for templates tenants write.
 */
@NullMarked
package io.nm4j.template.freemarker;

import org.jspecify.annotations.NullMarked;
