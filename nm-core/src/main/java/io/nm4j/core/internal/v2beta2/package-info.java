/**
 * notification-manager's current model ({@code notification.kubesphere.io/v2beta2}): reading {@code
 * Receiver}, {@code Config}, {@code Router} and {@code Silence} into a snapshot, and the stages
 * they add to routing (silences, routers, per-receiver alert filters).
 */
@NullMarked
package io.nm4j.core.internal.v2beta2;

import org.jspecify.annotations.NullMarked;
