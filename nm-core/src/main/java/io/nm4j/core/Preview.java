package io.nm4j.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateSlots;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What each notification of a batch would say, rendered as its channel renders it (the templates,
 * language and time zone chosen for its receiver, the built-in templates where none is chosen, the
 * fallback from a failing template), without sending and without secrets. Long messages are shown
 * whole: a channel splits them only when it sends.
 *
 * @param notifications one per receiver the batch reaches, sorted by receiver
 */
public record Preview(List<RenderedNotification> notifications) {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final ObjectWriter INDENTED = MAPPER.writerWithDefaultPrettyPrinter();

  public Preview {
    notifications = List.copyOf(notifications);
  }

  /**
   * One receiver's notification.
   *
   * @param receiver {@code Kind/name}
   * @param tenant its tenant; {@code null} for a global receiver
   * @param alerts 0-based indexes into the batch's alerts
   * @param parts the rendered parts by the name of the template they come from ({@code subject},
   *     {@code html}, {@code message}, ...), title first
   * @param notes what the preview could not show as sent, and the problems of templates that failed
   *     (the built-in one rendered instead)
   */
  public record RenderedNotification(
      ObjectRef receiver,
      @Nullable String tenant,
      List<Integer> alerts,
      Map<String, String> parts,
      List<String> notes) {
    public RenderedNotification {
      Objects.requireNonNull(receiver, "receiver");
      alerts = List.copyOf(alerts);
      parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
      notes = List.copyOf(notes);
    }
  }

  /**
   * Renders every notification {@code batch} becomes on {@code snapshot}, of the receivers {@code
   * which} accepts.
   *
   * @param engine the engine the channels' built-in templates compile with
   */
  public static Preview of(
      Snapshot snapshot, AlertBatch batch, TemplateEngine engine, Predicate<Destination> which) {
    Map<ChannelProvider<?, ?>, Map<String, @Nullable ChannelTemplates>> builtIns =
        new IdentityHashMap<>();
    List<RenderedNotification> out = new ArrayList<>();
    for (Routing.Route route : snapshot.route(batch).routes()) {
      Destination d = route.destination();
      if (!which.test(d)) {
        continue;
      }
      List<Alert> alerts = new ArrayList<>();
      route.alerts().forEach(i -> alerts.add(batch.alerts().get(i)));
      Notification n =
          new Notification(
              "preview", d.receiver(), d.scope(), d.tenant(), d.config(), alerts, batch);
      out.add(render(d, n, route.alerts(), engine, builtIns));
    }
    return new Preview(out);
  }

  private static RenderedNotification render(
      Destination d,
      Notification n,
      List<Integer> alertIndexes,
      TemplateEngine engine,
      Map<ChannelProvider<?, ?>, Map<String, @Nullable ChannelTemplates>> builtIns) {
    TemplateSlots slots = d.provider().templateSlots();
    Map<String, String> parts = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    if (slots == null) {
      notes.add("channel " + d.provider().name() + " renders from no templates");
      return new RenderedNotification(d.receiver(), d.tenant(), alertIndexes, parts, notes);
    }
    RenderOptions options = d.rendering();
    Map<String, ?> model = MessageModel.of(n, options.settings());
    List<String> names = new ArrayList<>();
    if (slots.title() != null) {
      names.add(slots.title());
    }
    names.add(slots.bodyFor(options.type()));
    for (String name : names) {
      CompiledTemplate custom = options.template(name);
      ChannelTemplates builtIn =
          builtIns
              .computeIfAbsent(d.provider(), p -> new LinkedHashMap<>())
              .computeIfAbsent(name, k -> load(d.provider(), engine, k, slots.formats().get(k)));
      if (builtIn != null) {
        ChannelTemplates.Rendering r = builtIn.render(name, model, custom);
        parts.put(name, r.text());
        if (r.fallbackReason() != null) {
          notes.add(name + ": template failed, built-in used: " + r.fallbackReason());
        }
      } else if (custom != null
          && custom.render(model, TemplateLimits.DEFAULT) instanceof TemplateOutput.Rendered r) {
        parts.put(name, r.text());
      } else {
        notes.add(name + ": the channel writes it itself, not from a template");
      }
    }
    return new RenderedNotification(d.receiver(), d.tenant(), alertIndexes, parts, notes);
  }

  /** A channel's built-in template {@code name}, or {@code null} when it has no such resource. */
  private static @Nullable ChannelTemplates load(
      ChannelProvider<?, ?> provider, TemplateEngine engine, String name, TemplateFormat format) {
    try {
      return ChannelTemplates.load(
          provider.name(),
          engine,
          provider.getClass().getClassLoader(),
          Map.of(name, format),
          TemplateLimits.DEFAULT);
    } catch (IllegalStateException e) {
      return null;
    }
  }

  /** The preview as indented JSON: {@code {"notifications": [{receiver, tenant, alerts, ...}]}}. */
  public String toIndentedJson() {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode list = root.putArray("notifications");
    for (RenderedNotification r : notifications) {
      ObjectNode node = list.addObject();
      node.put("receiver", r.receiver().toString());
      if (r.tenant() != null) {
        node.put("tenant", r.tenant());
      }
      ArrayNode alerts = node.putArray("alerts");
      r.alerts().forEach(alerts::add);
      ObjectNode parts = node.putObject("parts");
      r.parts().forEach(parts::put);
      if (!r.notes().isEmpty()) {
        ArrayNode notes = node.putArray("notes");
        r.notes().forEach(notes::add);
      }
    }
    try {
      return INDENTED.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write preview JSON", e);
    }
  }
}
