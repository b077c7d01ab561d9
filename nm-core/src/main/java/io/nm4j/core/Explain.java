package io.nm4j.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.Problem;

/**
 * The explain (dry-run) view of a {@link Routing}, in the JSON structure {@code docs/ROUTING.md}
 * documents: {@code notifications} (sorted by receiver, alert indexes 0-based), {@code unrouted}
 * and {@code problems}. Fields may be added; the ones there never change meaning.
 */
public final class Explain {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private Explain() {}

  /** The explain document as a Jackson tree. */
  public static ObjectNode toJson(Routing routing) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode notifications = root.putArray("notifications");
    for (Routing.Route route : routing.routes()) {
      Destination d = route.destination();
      ObjectNode n = notifications.addObject();
      n.put("receiver", d.receiver().toString());
      n.put("scope", d.scope().wireName());
      if (d.tenant() != null) {
        n.put("tenant", d.tenant());
      }
      if (d.config() == null) {
        n.putNull("config");
        n.put("reason", d.configReason());
      } else {
        n.put("config", d.config().toString());
      }
      ArrayNode alerts = n.putArray("alerts");
      route.alerts().forEach(alerts::add);
    }
    ArrayNode unrouted = root.putArray("unrouted");
    for (Routing.Unrouted u : routing.unrouted()) {
      unrouted.addObject().put("alert", u.alert()).put("reason", u.reason());
    }
    ArrayNode problems = root.putArray("problems");
    for (Problem p : routing.problems()) {
      ObjectNode o = problems.addObject();
      o.put("object", p.object());
      o.put("field", p.field());
      o.put("message", p.message());
      o.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
    }
    return root;
  }

  /** The explain document as indented JSON text. */
  public static String toJsonString(Routing routing) {
    try {
      return MAPPER.writeValueAsString(toJson(routing));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write explain JSON", e);
    }
  }
}
