package io.nm4j.k8s.crd;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** A DingTalk receiver; the chatbot or conversation is in its config. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class DingTalkReceiver extends CustomResource<DingTalkReceiver.Spec, Void>
    implements Namespaced {

  /**
   * The spec of a {@code DingTalkReceiver}. The schema carries the later versions' spelling {@code
   * dingtalkConfigSelector} too, because the API server prunes fields its schema does not name.
   */
  public record Spec(
      @Nullable LabelSelector dingTalkConfigSelector,
      @Nullable LabelSelector dingtalkConfigSelector) {}
}
