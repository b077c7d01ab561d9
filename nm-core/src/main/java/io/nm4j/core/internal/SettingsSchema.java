package io.nm4j.core.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.MessageTemplates;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;
import java.util.Collection;

/**
 * The schema of the {@code NotificationManager} settings' spec: what nm4j reads (tenant key and
 * selectors), the options of every channel present under {@code receivers.options}, and the fields
 * notification-manager's v1alpha1 defines for its own Deployment, which are accepted and ignored.
 */
public final class SettingsSchema {

  private SettingsSchema() {}

  /** The spec schema with an options block for each channel that describes one. */
  public static Schema of(Collection<ChannelDescription> channels) {
    Schema.Builder options =
        Schema.object()
            .description("Options per channel, by the channel's block name.")
            .property(
                "global",
                Schema.object()
                    .description("Options of every channel.")
                    .property(
                        "templateFile",
                        Schema.array(Schema.string())
                            .ignored()
                            .description(
                                "Template files on the server's disk; templates come from"
                                    + " ConfigMaps (spec.template.text)."))
                    .property(
                        "template",
                        Schema.string()
                            .maxLength(MessageTemplates.MAX_NAME)
                            .description(
                                "A key of the settings' template set (spec.template.text)"
                                    + " replacing the body's built-in template of every receiver"
                                    + " whose channel kind and receiver name none."))
                    .property(
                        "cluster",
                        Schema.string()
                            .ignored()
                            .description("nm4j does not add a cluster label to alerts.")));
    for (ChannelDescription channel : channels) {
      if (channel.settingsOptions() != null) {
        options.property(channel.block(), channel.settingsOptions());
      }
    }
    Schema receivers =
        Schema.object()
            .description("How receivers are told apart and matched to tenants.")
            .property(
                "tenantKey",
                Schema.string()
                    .defaultValue("namespace")
                    .description(
                        "The label naming a receiver's or config's tenant, and how alerts find"
                            + " their tenants: namespace (the alert's namespace is the tenant) or"
                            + " user (the users bound by RoleBindings in it); other keys need a"
                            + " TenantResolver from the host."))
            .property(
                "globalReceiverSelector",
                Schemas.labelSelector("Which receivers are global. Default: type=global."))
            .property(
                "tenantReceiverSelector",
                Schemas.labelSelector(
                    "Which receivers and configs belong to a tenant. Default: type=tenant."))
            .property("options", options)
            .build();
    String deployment = "Describes notification-manager's Deployment; nm4j ignores it.";
    Schema template =
        Schema.object()
            .description(
                "The language, time zone and templates of every receiver that chooses none of"
                    + " its own.")
            .property(
                "language",
                Schema.string()
                    .description(
                        "The built-in words' language: en (default), zh-cn, or one a language"
                            + " pack defines."))
            .property(
                "timezone",
                Schema.string().description("The zone times are shown in, e.g. Asia/Shanghai."))
            .property(
                "template",
                Schema.string()
                    .description("The key of the template set that replaces each body template."))
            .property(
                "text",
                Schema.object()
                    .description("The template set: a ConfigMap of nm4j's namespace.")
                    .property("name", Schema.string().description("The ConfigMap."))
                    .property(
                        "key", Schema.string().description("Its one key to use; all when absent."))
                    .property("namespace", Schema.string().description("nm4j's own namespace.")))
            .property(
                "reloadCycle",
                Schema.string().ignored().description("Sets are reloaded when they change."))
            .property(
                "languagePack",
                Schema.array(
                        Schema.object()
                            .description(
                                "A ConfigMap of nm4j's namespace, owned by the admin, whose values"
                                    + " are YAML lists of language packs {name, dictionary}.")
                            .property("name", Schema.string().description("The ConfigMap."))
                            .property(
                                "key",
                                Schema.string().description("Its one key to use; all when absent."))
                            .property(
                                "namespace", Schema.string().description("nm4j's own namespace.")))
                    .description(
                        "Language packs: words of the built-in languages (en, zh-cn) replaced, or"
                            + " more languages."))
            .build();
    return Schema.object()
        .property("receivers", receivers)
        .property("template", template)
        .property(
            "defaultConfigSelector",
            Schemas.labelSelector("Which configs are defaults. Default: type=default."))
        .property(
            "routePolicy",
            Schema.string()
                .enumValues("All", "RouterFirst", "RouterOnly")
                .defaultValue("All")
                .description(
                    "How Routers and the tenants' receivers combine for v2beta2 receivers: All"
                        + " (both), RouterFirst (the routers' receivers, else the tenants'),"
                        + " RouterOnly (the routers' receivers only)."))
        .property(
            "defaultSecretNamespace",
            Schema.string().ignored().description("nm4j reads secrets in its own namespace."))
        .property("groupLabels", Schema.array(Schema.string()).ignored().description(deployment))
        .property("batchMaxSize", Schema.integer().ignored().description(deployment))
        .property("batchMaxWait", Schema.string().ignored().description(deployment))
        .property("annotations", Schema.stringMap().ignored().description(deployment))
        .property("labels", Schema.stringMap().ignored().description(deployment))
        .property("env", Schema.array(Schema.freeForm()).ignored().description(deployment))
        .property("sidecars", Schema.freeForm().ignored().description(deployment))
        .property("replicas", Schema.integer().format("int32").ignored().description(deployment))
        .property("image", Schema.string().ignored().description(deployment))
        .property("imagePullPolicy", Schema.string().ignored().description(deployment))
        .property("resources", Schema.freeForm().ignored().description(deployment))
        .property("nodeSelector", Schema.stringMap().ignored().description(deployment))
        .property("affinity", Schema.freeForm().ignored().description(deployment))
        .property("tolerations", Schema.array(Schema.freeForm()).ignored().description(deployment))
        .property("serviceAccountName", Schema.string().ignored().description(deployment))
        .property("portName", Schema.string().ignored().description(deployment))
        .property("volumes", Schema.array(Schema.freeForm()).ignored().description(deployment))
        .property("volumeMounts", Schema.array(Schema.freeForm()).ignored().description(deployment))
        .property("args", Schema.array(Schema.string()).ignored().description(deployment))
        .property(
            "notificationManagerNamespaces",
            Schema.array(Schema.string()).ignored().description(deployment))
        .build();
  }
}
