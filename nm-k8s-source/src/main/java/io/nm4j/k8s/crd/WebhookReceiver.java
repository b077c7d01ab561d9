package io.nm4j.k8s.crd;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** A webhook receiver; the target is in its config. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class WebhookReceiver extends CustomResource<WebhookReceiver.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code WebhookReceiver}. */
  public record Spec(@Nullable LabelSelector webhookConfigSelector) {}
}
