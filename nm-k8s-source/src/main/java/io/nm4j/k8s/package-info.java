/**
 * Kubernetes as a configuration source: informers on the notification kinds, Secrets and
 * RoleBindings, publishing {@link io.nm4j.spi.ConfigSet}s, and a RoleBinding-backed {@link
 * io.nm4j.spi.TenantResolver}.
 */
@NullMarked
package io.nm4j.k8s;

import org.jspecify.annotations.NullMarked;
