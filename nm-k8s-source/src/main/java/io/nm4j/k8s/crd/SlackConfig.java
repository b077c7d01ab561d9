package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** The Slack bot token. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class SlackConfig extends CustomResource<SlackConfig.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code SlackConfig}. */
  public record Spec(@Required SecretKeySelector slackTokenSecret) {}
}
