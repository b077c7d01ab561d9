/**
 * The admin API, independent of any transport: {@link io.nm4j.core.admin.AdminService} creates,
 * updates, reads, lists and deletes receivers, configs and secrets through a {@link
 * io.nm4j.spi.ConfigStore}, with the snapshot's own validation, optimistic concurrency and tenant
 * isolation, and answers failures as Kubernetes-style {@link io.nm4j.core.admin.Status}es.
 */
@NullMarked
package io.nm4j.core.admin;

import org.jspecify.annotations.NullMarked;
