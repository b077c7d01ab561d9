package io.nm4j.k8s.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The settings: tenant key, receiver and default-config selectors, per-channel options, and the
 * fields that describe the server's Deployment (a host that runs nm4j itself may ignore those).
 */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class NotificationManager extends CustomResource<NotificationManager.Spec, Void>
    implements Namespaced {

  /**
   * The spec of a {@code NotificationManager}. {@code affinity} and {@code volumes} are kept as
   * free-form objects: their full Kubernetes schemas would dwarf everything else in the CRD.
   */
  public record Spec(
      @Nullable Receivers receivers,
      @Nullable LabelSelector defaultConfigSelector,
      @Nullable Integer replicas,
      @Nullable String image,
      @Nullable String imagePullPolicy,
      @Nullable ResourceRequirements resources,
      @Nullable Map<String, String> nodeSelector,
      @PreserveUnknownFields @Nullable JsonNode affinity,
      @Nullable List<Toleration> tolerations,
      @Nullable String serviceAccountName,
      @Nullable String portName,
      @PreserveUnknownFields @Nullable List<JsonNode> volumes,
      @Nullable List<VolumeMount> volumeMounts,
      @Nullable List<String> args) {}

  /** Tenancy and receiver selection. */
  public record Receivers(
      @Nullable String tenantKey,
      @Nullable LabelSelector globalReceiverSelector,
      @Nullable LabelSelector tenantReceiverSelector,
      @Nullable Options options) {}

  /** Per-channel options. */
  public record Options(
      @Nullable GlobalOptions global,
      @Nullable EmailOptions email,
      @Nullable WechatOptions wechat,
      @Nullable BasicOptions slack,
      @Nullable BasicOptions webhook,
      @Nullable DingTalkOptions dingtalk) {}

  /** Options of every channel. */
  public record GlobalOptions(
      @Nullable String templateFile, @Nullable String template, @Nullable String cluster) {}

  /** Options of a channel with no options of its own. */
  public record BasicOptions(@Nullable Integer notificationTimeout, @Nullable String template) {}

  /** Email options; {@code deliveryType} is {@code bulk} or {@code single}. */
  public record EmailOptions(
      @Nullable Integer notificationTimeout,
      @Nullable String deliveryType,
      @Nullable Integer maxEmailReceivers,
      @Nullable String template,
      @Nullable String subjectTemplate) {}

  /** WeChat Work options. */
  public record WechatOptions(
      @Nullable Integer notificationTimeout,
      @Nullable String template,
      @Nullable Integer messageMaxSize,
      @Nullable String tokenExpires) {}

  /** DingTalk options. */
  public record DingTalkOptions(
      @Nullable Integer notificationTimeout,
      @Nullable String template,
      @Nullable String tokenExpires,
      @Nullable Integer conversationMessageMaxSize,
      @Nullable Integer chatbotMessageMaxSize,
      @Nullable Throttle chatBotThrottle,
      @Nullable Throttle conversationThrottle) {}

  /** At most {@code threshold} messages per {@code unit}, waiting at most {@code maxWaitTime}. */
  public record Throttle(
      @Nullable Integer threshold, @Nullable String unit, @Nullable String maxWaitTime) {}
}
