package io.nm4j.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The explain (dry-run) view of a {@link Routing}: the notifications a batch would become (sorted
 * by receiver, alert indexes 0-based), the alerts no receiver gets, and the configuration's
 * problems. {@link #toJson()} writes it in the JSON form {@code docs/ROUTING.md} documents; fields
 * may be added, the ones there never change meaning.
 *
 * @param notifications one per receiver that gets alerts, sorted by receiver
 * @param unrouted the alerts no receiver gets, with the reason
 * @param problems the configuration's problems
 * @param silenced the alerts a {@code Silence} muted, for every receiver or for one
 * @param routers the {@code Router}s that matched an alert, with the receivers they name
 * @param filtered the alerts a receiver did not take ({@code enabled: false}, {@code
 *     alertSelector}), with the object that decided
 */
public record Explain(
    List<PlannedNotification> notifications,
    List<Routing.Unrouted> unrouted,
    List<Problem> problems,
    List<Routing.Silenced> silenced,
    List<Routing.RouterMatch> routers,
    List<Routing.Filtered> filtered) {

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final ObjectWriter INDENTED = MAPPER.writerWithDefaultPrettyPrinter();

  public Explain {
    notifications = List.copyOf(notifications);
    unrouted = List.copyOf(unrouted);
    problems = List.copyOf(problems);
    silenced = List.copyOf(silenced);
    routers = List.copyOf(routers);
    filtered = List.copyOf(filtered);
  }

  /** An explanation without silences, routers or filtered alerts. */
  public Explain(
      List<PlannedNotification> notifications,
      List<Routing.Unrouted> unrouted,
      List<Problem> problems) {
    this(notifications, unrouted, problems, List.of(), List.of(), List.of());
  }

  /**
   * The notification one receiver would get.
   *
   * @param receiver {@code Kind/name}
   * @param scope global or tenant
   * @param tenant the receiver's tenant; {@code null} for a global receiver
   * @param config the config it would be sent with; {@code null} when there is none
   * @param reason why there is no config; {@code null} when there is one
   * @param alerts 0-based indexes into the batch's alerts, ascending
   */
  public record PlannedNotification(
      ObjectRef receiver,
      Scope scope,
      @Nullable String tenant,
      @Nullable ObjectRef config,
      @Nullable String reason,
      List<Integer> alerts) {
    public PlannedNotification {
      Objects.requireNonNull(receiver, "receiver");
      Objects.requireNonNull(scope, "scope");
      alerts = List.copyOf(alerts);
    }
  }

  /** The explain view of {@code routing}. */
  public static Explain of(Routing routing) {
    List<PlannedNotification> notifications = new ArrayList<>(routing.routes().size());
    for (Routing.Route route : routing.routes()) {
      Destination d = route.destination();
      notifications.add(
          new PlannedNotification(
              d.receiver(), d.scope(), d.tenant(), d.config(), d.configReason(), route.alerts()));
    }
    return new Explain(
        notifications,
        routing.unrouted(),
        routing.problems(),
        routing.silenced(),
        routing.routers(),
        routing.filtered());
  }

  /**
   * The explain document as JSON on one line: {@code notifications} (receiver, scope, tenant of a
   * tenant receiver, config or {@code null} with a reason, alerts), {@code unrouted} (alert,
   * reason) and {@code problems} (object, field, message, severity); when the configuration has
   * silences, routers or per-receiver filters, also {@code silenced} (alert, silence, receiver of a
   * tenant silence), {@code routers} (alert, router, receivers) and {@code filtered} (alert,
   * receiver, by, reason).
   */
  public String toJson() {
    return write(MAPPER.writer());
  }

  /** The explain document as {@link #toJson()} writes it, indented for people. */
  public String toIndentedJson() {
    return write(INDENTED);
  }

  private String write(ObjectWriter writer) {
    try {
      return writer.writeValueAsString(tree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write explain JSON", e);
    }
  }

  private ObjectNode tree() {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode notificationsNode = root.putArray("notifications");
    for (PlannedNotification planned : notifications) {
      ObjectNode n = notificationsNode.addObject();
      n.put("receiver", planned.receiver().toString());
      n.put("scope", planned.scope().wireName());
      if (planned.tenant() != null) {
        n.put("tenant", planned.tenant());
      }
      if (planned.config() == null) {
        n.putNull("config");
        n.put("reason", planned.reason());
      } else {
        n.put("config", planned.config().toString());
      }
      ArrayNode alerts = n.putArray("alerts");
      planned.alerts().forEach(alerts::add);
    }
    ArrayNode unroutedNode = root.putArray("unrouted");
    for (Routing.Unrouted u : unrouted) {
      unroutedNode.addObject().put("alert", u.alert()).put("reason", u.reason());
    }
    ArrayNode problemsNode = root.putArray("problems");
    for (Problem p : problems) {
      ObjectNode o = problemsNode.addObject();
      o.put("object", p.object());
      o.put("field", p.field());
      o.put("message", p.message());
      o.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
    }
    if (!silenced.isEmpty()) {
      ArrayNode silencedNode = root.putArray("silenced");
      for (Routing.Silenced x : silenced) {
        ObjectNode o = silencedNode.addObject().put("alert", x.alert());
        o.put("silence", x.silence().toString());
        if (x.receiver() != null) {
          o.put("receiver", x.receiver().toString());
        }
      }
    }
    if (!routers.isEmpty()) {
      ArrayNode routersNode = root.putArray("routers");
      for (Routing.RouterMatch x : routers) {
        ObjectNode o = routersNode.addObject().put("alert", x.alert());
        o.put("router", x.router().toString());
        ArrayNode receivers = o.putArray("receivers");
        x.receivers().forEach(r -> receivers.add(r.toString()));
      }
    }
    if (!filtered.isEmpty()) {
      ArrayNode filteredNode = root.putArray("filtered");
      for (Routing.Filtered x : filtered) {
        filteredNode
            .addObject()
            .put("alert", x.alert())
            .put("receiver", x.receiver().toString())
            .put("by", x.by().toString())
            .put("reason", x.reason());
      }
    }
    return root;
  }
}
