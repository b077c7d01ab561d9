package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** WeChat Work application credentials. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class WechatConfig extends CustomResource<WechatConfig.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code WechatConfig}. */
  public record Spec(
      @Nullable String wechatApiUrl,
      @Required String wechatApiCorpId,
      @Required String wechatApiAgentId,
      @Required SecretKeySelector wechatApiSecret) {}
}
