package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A DingTalk chatbot, a conversation of a DingTalk app, or both. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class DingTalkConfig extends CustomResource<DingTalkConfig.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code DingTalkConfig}. */
  public record Spec(@Nullable Chatbot chatbot, @Nullable Conversation conversation) {}

  /** A group robot: its webhook URL, keywords (at most 10) and signing secret. */
  public record Chatbot(
      @Required SecretKeySelector webhook,
      @Nullable List<String> keywords,
      @Nullable SecretKeySelector secret) {}

  /** A conversation of a DingTalk app. */
  public record Conversation(
      @Required SecretKeySelector appkey,
      @Required SecretKeySelector appsecret,
      @Required String chatid) {}
}
