package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** A Slack channel. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class SlackReceiver extends CustomResource<SlackReceiver.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code SlackReceiver}. */
  public record Spec(@Nullable LabelSelector slackConfigSelector, @Required String channel) {}
}
