package io.nm4j.core.internal.v2beta2;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The descriptions of the cluster-scoped v2beta2 kinds, as {@link V2beta2Objects} reads them: a
 * {@code Receiver} and a {@code Config} hold one block per channel, each block's fields those its
 * provider describes (so a plugin's block appears without edits here) with every secret reference
 * written as notification-manager's {@code Credential}; {@code Router} and {@code Silence} are the
 * core's own.
 */
public final class V2beta2Schema {

  private V2beta2Schema() {}

  /** {@code Receiver}, {@code Config}, {@code Router} and {@code Silence}, in that order. */
  public static List<KindDescription> kinds(Collection<? extends ChannelProvider<?, ?>> channels) {
    return List.of(
        kind(
            V2beta2Objects.RECEIVER,
            "Where notifications go: one block per channel, each with its own alert selector.",
            receiver(channels)),
        kind(
            V2beta2Objects.CONFIG,
            "How a channel connects (servers, credentials): one block per channel.",
            config(channels)),
        kind(
            V2beta2Objects.ROUTER,
            "Sends the alerts it selects to receivers named, matched or of a tenant's channels.",
            router(channels.stream().map(p -> p.description().block()).toList())),
        kind(
            V2beta2Objects.SILENCE,
            "Mutes the alerts it matches: for every receiver (global) or a tenant's receivers.",
            silence()));
  }

  private static KindDescription kind(String kind, String description, Schema spec) {
    return new KindDescription(
        kind,
        KindDescription.defaultPlural(kind),
        description,
        spec,
        KindDescription.V2BETA2,
        true);
  }

  private static Schema receiver(Collection<? extends ChannelProvider<?, ?>> channels) {
    Schema.Builder spec =
        Schema.object()
            .description("One block per channel, by the channel's block name.")
            .rule("size(self) > 0", "names no channel: set at least one channel block");
    Set<String> present = new TreeSet<>();
    for (ChannelProvider<?, ?> provider : channels) {
      ChannelDescription channel = provider.description();
      present.add(channel.block());
      spec.property(channel.block(), receiverBlock(channel, provider.receiverBlockHoldsConfig()));
    }
    absentUpstreamBlocks(spec, present);
    return spec.build();
  }

  /**
   * A receiver block: the channel's fields, those of its config too when the block holds its config
   * (both are read from it), and the fields every block has.
   */
  private static Schema receiverBlock(ChannelDescription channel, boolean holdsConfig) {
    Schema fields = channel.receiverBlockFields();
    Schema.Builder block = fields == null ? Schema.object() : withCredentials(fields).toBuilder();
    Schema configFields = channel.configBlockFields();
    if (holdsConfig && configFields != null) {
      Schema config = withCredentials(configFields);
      config
          .properties()
          .forEach(
              (name, field) -> {
                if (fields == null || !fields.properties().containsKey(name)) {
                  block.property(name, field);
                }
              });
      config.required().forEach(name -> block.required(name, config.properties().get(name)));
      config.rules().forEach(rule -> block.rule(rule.rule(), rule.message()));
    }
    block
        .description("The " + channel.block() + " channel of this receiver.")
        .property(
            "enabled",
            Schema.bool().defaultValue("true").description("Whether this block receives alerts."))
        .property(
            "alertSelector",
            alertSelector("Only alerts matching it reach this block; absent, every alert does."))
        .property(
            "template",
            Schema.string().description("The name of the template of the message's text."))
        .property(
            "tmplText",
            Schema.object()
                .description("A ConfigMap key holding more templates.")
                .required("name", Schema.string().description("The ConfigMap's name."))
                .property("namespace", Schema.string().description("The ConfigMap's namespace."))
                .property("key", Schema.string().description("The key in the ConfigMap.")))
        .property("titleTemplate", Schema.string().description("The name of the title's template."))
        .property(
            "subjectTemplate", Schema.string().description("The name of the subject's template."))
        .property(
            "tmplType",
            Schema.string().description("The message format, e.g. text, markdown or html."));
    return block.build();
  }

  private static Schema config(Collection<? extends ChannelProvider<?, ?>> channels) {
    Schema.Builder spec =
        Schema.object().description("One block per channel, by the channel's block name.");
    Set<String> present = new TreeSet<>();
    for (ChannelProvider<?, ?> provider : channels) {
      ChannelDescription channel = provider.description();
      present.add(channel.block());
      Schema fields = channel.configBlockFields();
      Schema.Builder block = fields == null ? Schema.object() : withCredentials(fields).toBuilder();
      spec.property(
          channel.block(),
          block
              .description("The " + channel.block() + " channel's connection.")
              .property(
                  "labels",
                  Schema.stringMap()
                      .ignored()
                      .description("Selection uses the object's own labels, not these.")));
    }
    absentUpstreamBlocks(spec, present);
    return spec.build();
  }

  /**
   * notification-manager's blocks of channels not installed: accepted as written (the core notes
   * that nothing uses them), so objects written for it keep loading.
   */
  private static void absentUpstreamBlocks(Schema.Builder spec, Set<String> present) {
    for (String block : new TreeSet<>(V2beta2Objects.UPSTREAM_BLOCKS)) {
      if (!present.contains(block)) {
        spec.property(
            block,
            Schema.freeForm()
                .ignored()
                .description("notification-manager's " + block + " block; no channel reads it."));
      }
    }
  }

  private static Schema router(List<String> blocks) {
    String[] channelNames = blocks.toArray(String[]::new);
    Schema receivers =
        Schema.object()
            .description("The receivers the selected alerts go to.")
            .property(
                "name", Schema.array(Schema.string()).description("Receivers by metadata.name."))
            .property(
                "regexName",
                Schema.string()
                    .description("Receivers whose name holds a match of this regular expression."))
            .property("selector", alertSelector("Receivers whose labels this selector matches."))
            .property(
                "type",
                Schema.string()
                    .enumValues(channelNames)
                    .description(
                        "Limits name, regexName and selector to the blocks of this channel."))
            .property(
                "channels",
                Schema.array(
                        Schema.object()
                            .required(
                                "tenant",
                                Schema.string()
                                    .minLength(1)
                                    .description("The tenant whose receivers are meant."))
                            .property(
                                "type",
                                Schema.array(Schema.string().enumValues(channelNames))
                                    .description("Its channels; empty means all.")))
                    .description("A tenant's receivers of some channels."))
            .rule(
                "has(self.name) && size(self.name) > 0 || has(self.regexName)"
                    + " || has(self.selector) || has(self.channels) && size(self.channels) > 0",
                "names no receivers: set name, regexName, selector or channels")
            .build();
    return Schema.object()
        .property(
            "enabled",
            Schema.bool().defaultValue("true").description("Whether this router routes at all."))
        .required("alertSelector", alertSelector("The alerts this router routes."))
        .required("receivers", receivers)
        .build();
  }

  private static Schema silence() {
    return Schema.object()
        .property(
            "enabled",
            Schema.bool().defaultValue("true").description("Whether this silence mutes at all."))
        .required("matcher", alertSelector("The alerts this silence mutes."))
        .property(
            "startsAt",
            Schema.string()
                .format("date-time")
                .pattern(
                    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
                        + "(Z|[+-][0-9]{2}:[0-9]{2})$")
                .description("When it starts (RFC 3339); ignored with a schedule."))
        .property(
            "schedule",
            Schema.string()
                .description(
                    "A cron schedule (5 fields, @daily, @every 1h, CRON_TZ= prefix): mutes from"
                        + " each firing for duration."))
        .property(
            "duration",
            Schema.string()
                .pattern("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
                .description(
                    "How long it mutes from its start or each firing, e.g. 8h or 1h30m; absent,"
                        + " for ever."))
        .build();
  }

  /**
   * notification-manager's label selector: a Kubernetes one plus the operator {@code Match}, which
   * holds when {@code regexValue} is found in the label's value.
   */
  static Schema alertSelector(String description) {
    return Schemas.labelSelector(description)
        .mapNodes(node -> node.properties().containsKey("operator") ? withMatch(node) : node);
  }

  /** A Kubernetes selector's requirement, with the operator {@code Match} too. */
  private static Schema withMatch(Schema requirement) {
    Schema operator = requirement.properties().get("operator");
    List<String> operators = new ArrayList<>(operator.enumValues());
    operators.add("Match");
    Schema.Builder b =
        requirement.toBuilder()
            .property("operator", operator.toBuilder().enumValues(operators.toArray(String[]::new)))
            .property(
                "regexValue",
                Schema.string()
                    .description(
                        "For Match: a regular expression (RE2) found anywhere in the value; an"
                            + " absent label is tested as the empty string."))
            .clearRules();
    for (Schema.Rule rule : requirement.rules()) {
      b.rule("self.operator == 'Match' || (" + rule.rule() + ")", rule.message());
    }
    return b.rule("self.operator != 'Match' || has(self.regexValue)", "Match needs regexValue")
        .build();
  }

  /** The block's secret references written as {@code Credential}s, as v2beta2 has them. */
  private static Schema withCredentials(Schema fields) {
    return fields.mapNodes(
        node ->
            node.equals(Schemas.secretKeySelector(node.description()))
                ? credential(node.description())
                : node);
  }

  private static Schema credential(String description) {
    Schema secretKeyRef =
        Schema.object()
            .description("A key of a Secret.")
            .required(
                "name",
                Schema.string().pattern(Schemas.NOT_BLANK).description("The Secret's name."))
            .required(
                "key",
                Schema.string()
                    .pattern(Schemas.NOT_BLANK)
                    .description("The key in the Secret's data."))
            .property(
                "namespace",
                Schema.string()
                    .description("The Secret's namespace; when given, the one nm4j reads."))
            .build();
    List<String> parts = new ArrayList<>();
    if (!description.isEmpty()) {
      parts.add(description);
    }
    parts.add("Either valueFrom.secretKeyRef or value (inline, in the admin's objects only).");
    return Schema.object()
        .description(String.join(" ", parts))
        .property("value", Schema.string().description("The value itself."))
        .property(
            "valueFrom",
            Schema.object()
                .description("Where the value is kept.")
                .required("secretKeyRef", secretKeyRef))
        .rule("has(self.value) != has(self.valueFrom)", "set exactly one of value and valueFrom")
        .build();
  }
}
