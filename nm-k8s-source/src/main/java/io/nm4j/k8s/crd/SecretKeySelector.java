package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import org.jspecify.annotations.Nullable;

/**
 * A key of a {@code v1/Secret} in the object's namespace.
 *
 * @param name the Secret's name
 * @param key the key in its {@code data}
 * @param namespace allowed by some v1alpha1 revisions; only the object's own namespace is accepted
 */
public record SecretKeySelector(
    @Required String name, @Required String key, @Nullable String namespace) {}
