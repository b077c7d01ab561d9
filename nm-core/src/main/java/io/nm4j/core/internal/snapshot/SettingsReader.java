package io.nm4j.core.internal.snapshot;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.UnknownFields;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.MessageTemplates;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Schema;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateSlots;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link Settings} of the {@code NotificationManager} objects of a set: the first by name
 * is used, every field it leaves out keeps its default.
 */
public final class SettingsReader {
  /** Fields of notification-manager's object that describe its Deployment, not routing. */
  private static final Set<String> DEPLOYMENT_FIELDS =
      Set.of(
          "replicas",
          "image",
          "imagePullPolicy",
          "resources",
          "nodeSelector",
          "affinity",
          "tolerations",
          "serviceAccountName",
          "portName",
          "volumes",
          "volumeMounts",
          "args");

  private SettingsReader() {}

  /**
   * The settings of {@code objects} (the set's settings objects), reporting a second object,
   * unknown fields and Deployment fields.
   *
   * @param serverDefaults the server-wide language and time zone, below the settings' own
   */
  public static Settings read(
      List<ConfigObject> objects,
      ChannelRegistry channels,
      String namespace,
      SpecParser parser,
      SnapshotProblems problems,
      MessageTemplates serverDefaults) {
    if (objects.isEmpty()) {
      return withTemplates(Settings.DEFAULTS, serverDefaults);
    }
    List<ConfigObject> byName =
        objects.stream().sorted(Comparator.comparing(o -> o.metadata().name())).toList();
    ConfigObject o = byName.get(0);
    for (ConfigObject other : byName.subList(1, byName.size())) {
      problems.error(
          other.ref(),
          "metadata.name",
          "a second " + Settings.KIND + "; " + o.ref() + " is used, this one is ignored");
    }
    Map<String, Object> spec = parser.specOf(o);
    if (spec == null) {
      return withTemplates(Settings.DEFAULTS, serverDefaults);
    }
    SpecReader r = SpecReader.of(spec, namespace);
    SpecReader receivers = r.object("receivers");
    String tenantKey = Settings.DEFAULTS.tenantKey();
    LabelSelector global = Settings.DEFAULTS.globalReceiverSelector();
    LabelSelector tenant = Settings.DEFAULTS.tenantReceiverSelector();
    Map<String, Object> options = Map.of();
    if (receivers != null) {
      String key = receivers.string("tenantKey");
      if (key != null && !key.isBlank()) {
        tenantKey = key;
      }
      LabelSelector g = receivers.selector("globalReceiverSelector");
      global = g != null ? g : global;
      LabelSelector t = receivers.selector("tenantReceiverSelector");
      tenant = t != null ? t : tenant;
      SpecReader opts = receivers.object("options");
      if (opts != null) {
        options = opts.raw();
      }
    }
    Settings.RoutePolicy routePolicy = Settings.RoutePolicy.ALL;
    String policy = r.string("routePolicy");
    if (policy != null && !policy.isEmpty()) {
      Settings.RoutePolicy known = Settings.RoutePolicy.fromWire(policy);
      if (known == null) {
        r.error("routePolicy", "must be All, RouterFirst or RouterOnly, was \"" + policy + "\"");
      } else {
        routePolicy = known;
      }
    }
    MessageTemplates templates = MessageTemplates.NONE;
    SpecReader template = r.object("template");
    if (template != null) {
      templates = MessageTemplates.read(template, null, List.of());
      // notification-manager names the global template set spec.template.text.
      SpecReader text = template.object("text");
      if (text != null) {
        String name = text.requiredString("name");
        String key = text.string("key");
        if (!name.isEmpty()) {
          templates =
              new MessageTemplates(
                  templates.template(),
                  null,
                  new MessageTemplates.TemplateText(
                      name, key == null || key.isBlank() ? null : key),
                  null,
                  templates.language(),
                  templates.timezone());
        }
      }
    }
    templates = withGlobalTemplate(templates, receivers).over(serverDefaults);
    LabelSelector d = r.selector("defaultConfigSelector");
    LabelSelector defaults = d != null ? d : Settings.DEFAULTS.defaultConfigSelector();
    // Unknown settings fields are errors (a misspelt tenantKey would change every tenant's
    // routing), but the fields that were read still apply: rejecting the whole object would.
    Schema settingsSchema = Settings.description(channels).spec();
    List<FieldError> unknown =
        settingsSchema == null ? List.of() : UnknownFields.of(settingsSchema, spec, "spec");
    for (ChannelProvider<?, ?> p : channels.providers()) {
      if (p.templateSlots() != null) {
        unknown =
            withoutTemplateFields(
                unknown, p.templateSlots(), "spec.receivers.options." + p.description().block());
      }
    }
    problems.report(o.ref(), SpecParser.withUnknown(unknown, r.errors()));
    if (settingsSchema != null) {
      Schema optionsSchema = settingsSchema.properties().get("receivers");
      optionsSchema = optionsSchema == null ? null : optionsSchema.properties().get("options");
      if (optionsSchema != null && receivers != null && receivers.object("options") != null) {
        Set<String> used = new HashSet<>();
        for (ChannelProvider<?, ?> p : channels.providers()) {
          TemplateSlots slots = p.templateSlots();
          String block = "spec.receivers.options." + p.description().block();
          if (slots != null) {
            ReceiverTemplates.FIELDS.forEach(f -> used.add(block + "." + f));
            used.add(block + "." + slots.titleField());
          } else if (options.get(p.description().block()) instanceof Map<?, ?> fields
              && fields.containsKey("template")) {
            problems.notice(
                o.ref(),
                block + ".template",
                "channel " + p.name() + " renders from no templates; ignored");
          }
        }
        reportIgnored(
            o.ref(),
            optionsSchema,
            receivers.object("options").raw(),
            "spec.receivers.options",
            used,
            problems);
      }
    }
    Map<String, SettingsOptions> channelOptions =
        receivers == null
            ? Map.of()
            : channelOptions(o.ref(), options, channels, namespace, problems);
    for (String field : spec.keySet()) {
      if (DEPLOYMENT_FIELDS.contains(field)) {
        problems.notice(
            o.ref(),
            "spec." + field,
            "describes the server's Deployment; nm4j running in this process ignores it");
      }
    }
    return new Settings(
        tenantKey, global, tenant, defaults, options, routePolicy, templates, channelOptions);
  }

  private static Settings withTemplates(Settings s, MessageTemplates templates) {
    return new Settings(
        s.tenantKey(),
        s.globalReceiverSelector(),
        s.tenantReceiverSelector(),
        s.defaultConfigSelector(),
        s.options(),
        s.routePolicy(),
        templates,
        s.channelOptions());
  }

  /**
   * {@code templates} naming {@code spec.receivers.options.global.template} as the body's template
   * when {@code spec.template} names none: notification-manager's settings-level template name.
   */
  private static MessageTemplates withGlobalTemplate(
      MessageTemplates templates, @Nullable SpecReader receivers) {
    SpecReader options = receivers == null ? null : receivers.object("options");
    SpecReader global = options == null ? null : options.object("global");
    if (templates.template() != null || global == null) {
      return templates;
    }
    MessageTemplates named = MessageTemplates.read(global, null, List.of());
    if (named.template() == null) {
      return templates;
    }
    return new MessageTemplates(
        named.template(),
        templates.titleTemplate(),
        templates.tmplText(),
        templates.type(),
        templates.language(),
        templates.timezone());
  }

  /**
   * Each channel kind's block of {@code spec.receivers.options} as its provider parses it: errors
   * and notices reported on the settings object, a kind whose block is invalid left with its
   * defaults.
   */
  private static Map<String, SettingsOptions> channelOptions(
      ObjectRef object,
      Map<String, Object> options,
      ChannelRegistry channels,
      String namespace,
      SnapshotProblems problems) {
    Map<String, SettingsOptions> parsed = new HashMap<>();
    for (ChannelProvider<?, ?> p : channels.providers()) {
      String block = p.description().block();
      if (!(options.get(block) instanceof Map<?, ?> map)) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      SpecReader reader = SpecReader.at(fields, "spec.receivers.options." + block, namespace);
      Parsed<? extends SettingsOptions> result = p.parseSettingsOptions(reader);
      for (FieldError e : result.errors()) {
        problems.error(object, e.field(), e.message() + "; the channel's defaults are used");
      }
      if (result.isValid()) {
        SettingsOptions value = result.value();
        for (FieldError n : value.notices()) {
          problems.notice(object, n.field(), n.message());
        }
        parsed.put(p.name(), value);
      }
    }
    return parsed;
  }

  /**
   * A notice for each field of {@code spec.receivers.options} that is set but that nm4j does not
   * use, so an operator is never misled by a setting that silently does nothing.
   */
  private static void reportIgnored(
      ObjectRef object,
      Schema schema,
      Map<String, Object> value,
      String path,
      Set<String> used,
      SnapshotProblems problems) {
    for (Map.Entry<String, Object> e : value.entrySet()) {
      Schema field = schema.properties().get(e.getKey());
      if (field == null) {
        continue;
      }
      String fieldPath = path + "." + e.getKey();
      if (field.ignored() && !used.contains(fieldPath)) {
        problems.notice(object, fieldPath, "nm4j does not use this option; ignored");
      } else if (e.getValue() instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) nested;
        reportIgnored(object, field, fields, fieldPath, used, problems);
      }
    }
  }

  /**
   * {@code unknown} without the template fields at {@code path}: a channel kind's block of the
   * settings' {@code spec.receivers.options} takes them when the channel renders from templates,
   * read by the core ({@link ReceiverTemplates}).
   */
  private static List<FieldError> withoutTemplateFields(
      List<FieldError> unknown, TemplateSlots slots, String path) {
    return unknown.stream()
        .filter(
            e -> {
              String field = e.field();
              if (!field.startsWith(path + ".")) {
                return true;
              }
              String name = field.substring(path.length() + 1);
              int dot = name.indexOf('.');
              String top = dot < 0 ? name : name.substring(0, dot);
              return !ReceiverTemplates.FIELDS.contains(top) && !top.equals(slots.titleField());
            })
        .toList();
  }
}
