package io.nm4j.core;

import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one batch routes on one snapshot: a route per receiver that gets alerts (sorted by receiver),
 * the alerts no receiver gets, the configuration's problems, and what the stages of notification-
 * manager's v2beta2 model decided: which silences muted an alert, which routers matched it, which
 * receivers filtered it out. Those three are empty when the configuration has no such objects.
 *
 * @param routes one per receiver, holding all its alerts of the batch in arrival order
 * @param unrouted alerts that reach no receiver, with the reason
 * @param problems the snapshot's configuration problems
 * @param silenced alerts a {@code Silence} muted, for every receiver or for one
 * @param routers alerts a {@code Router} matched, with the receivers it gave them
 * @param filtered alerts a receiver did not take: its {@code alertSelector} or {@code enabled:
 *     false}
 */
public record Routing(
    List<Route> routes,
    List<Unrouted> unrouted,
    List<Problem> problems,
    List<Silenced> silenced,
    List<RouterMatch> routers,
    List<Filtered> filtered) {

  public Routing {
    routes = List.copyOf(routes);
    unrouted = List.copyOf(unrouted);
    problems = List.copyOf(problems);
    silenced = List.copyOf(silenced);
    routers = List.copyOf(routers);
    filtered = List.copyOf(filtered);
  }

  /** A routing without silences, routers or filtered alerts. */
  public Routing(List<Route> routes, List<Unrouted> unrouted, List<Problem> problems) {
    this(routes, unrouted, problems, List.of(), List.of(), List.of());
  }

  /**
   * An alert a silence muted.
   *
   * @param alert 0-based index into the batch's alerts
   * @param silence the {@code Silence}
   * @param receiver the receiver it was muted for (a tenant silence); {@code null} when a global
   *     silence muted it for every receiver
   */
  public record Silenced(int alert, ObjectRef silence, @Nullable ObjectRef receiver) {
    public Silenced {
      Objects.requireNonNull(silence, "silence");
    }
  }

  /**
   * A router whose {@code alertSelector} matched an alert.
   *
   * @param alert 0-based index into the batch's alerts
   * @param router the {@code Router}
   * @param receivers the receivers it names, sorted (whether the route policy used them is in the
   *     routes)
   */
  public record RouterMatch(int alert, ObjectRef router, List<ObjectRef> receivers) {
    public RouterMatch {
      Objects.requireNonNull(router, "router");
      receivers = List.copyOf(receivers);
    }
  }

  /**
   * An alert routed to a receiver that did not take it.
   *
   * @param alert 0-based index into the batch's alerts
   * @param receiver the receiver
   * @param by the object that decided, e.g. {@code Receiver/team-a}
   * @param reason {@code enabled: false} or {@code alertSelector <selector> does not match}
   */
  public record Filtered(int alert, ObjectRef receiver, ObjectRef by, String reason) {
    public Filtered {
      Objects.requireNonNull(receiver, "receiver");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * One receiver's share of a batch.
   *
   * @param destination the receiver and its config
   * @param alerts 0-based indexes into the batch's alerts, ascending
   */
  public record Route(Destination destination, List<Integer> alerts) {
    public Route {
      Objects.requireNonNull(destination, "destination");
      alerts = List.copyOf(alerts);
    }
  }

  /**
   * An alert that reaches no receiver.
   *
   * @param alert 0-based index into the batch's alerts
   * @param reason why, e.g. {@code no global receiver and no tenant receiver for namespace ns-x}
   */
  public record Unrouted(int alert, String reason) {
    public Unrouted {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
