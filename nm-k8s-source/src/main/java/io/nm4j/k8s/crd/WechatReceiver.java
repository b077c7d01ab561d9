package io.nm4j.k8s.crd;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** WeChat Work users, departments or tags; several values are joined by {@code |}. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class WechatReceiver extends CustomResource<WechatReceiver.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code WechatReceiver}. */
  public record Spec(
      @Nullable LabelSelector wechatConfigSelector,
      @Nullable String toUser,
      @Nullable String toParty,
      @Nullable String toTag) {}
}
