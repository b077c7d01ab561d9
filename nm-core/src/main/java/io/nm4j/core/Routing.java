package io.nm4j.core;

import io.nm4j.spi.Problem;
import java.util.List;
import java.util.Objects;

/**
 * How one batch routes on one snapshot: a route per receiver that gets alerts (sorted by receiver),
 * the alerts no receiver gets, and the configuration's problems.
 *
 * @param routes one per receiver, holding all its alerts of the batch in arrival order
 * @param unrouted alerts that reach no receiver, with the reason
 * @param problems the snapshot's configuration problems
 */
public record Routing(List<Route> routes, List<Unrouted> unrouted, List<Problem> problems) {

  public Routing {
    routes = List.copyOf(routes);
    unrouted = List.copyOf(unrouted);
    problems = List.copyOf(problems);
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
