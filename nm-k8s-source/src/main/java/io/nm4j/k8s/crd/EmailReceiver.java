package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Email recipients of a global or tenant receiver. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class EmailReceiver extends CustomResource<EmailReceiver.Spec, Void>
    implements Namespaced {

  /** The spec of an {@code EmailReceiver}. */
  public record Spec(@Required List<String> to, @Nullable LabelSelector emailConfigSelector) {}
}
