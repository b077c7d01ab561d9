/**
 * The {@code notification.kubesphere.io/v1alpha1} kinds as Java types. They exist so the build can
 * generate the CustomResourceDefinitions (structural schemas with the required fields) that users
 * apply; the config source itself reads objects generically, so a malformed object still arrives
 * and is reported instead of failing deserialisation.
 */
@NullMarked
package io.nm4j.k8s.crd;

import org.jspecify.annotations.NullMarked;
