package io.nm4j.spi;

import java.util.List;

/**
 * Maps an alert's namespace to its tenants. The core has two: the namespace itself (tenant key
 * {@code namespace}) and the {@code User} subjects of the namespace's RoleBindings (tenant key
 * {@code user}, as on KubeSphere). Hosts may plug in their own, e.g. a team directory.
 */
@FunctionalInterface
public interface TenantResolver {

  /**
   * The tenants of a namespace: distinct, in a stable order; empty when it has none. Called when a
   * snapshot is built and, for namespaces not seen then, at routing time, so it should be fast.
   */
  List<String> tenantsOf(String namespace);
}
