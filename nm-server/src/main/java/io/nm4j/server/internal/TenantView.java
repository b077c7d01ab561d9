package io.nm4j.server.internal;

import io.nm4j.core.Destination;
import io.nm4j.core.Routing;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.spi.Problem;
import io.nm4j.spi.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a tenant caller sees of the server's data: only its own receivers' deliveries, and of an
 * explain only the notifications to its own receivers with the problems of those receivers and
 * their configs. Global receivers, other tenants' receivers and configs, and unrouted alerts (whose
 * reasons speak of other tenants) are left out.
 */
final class TenantView {
  private TenantView() {}

  /** The routing as {@code tenants} may see it. */
  static Routing explain(Routing routing, Set<String> tenants) {
    List<Routing.Route> routes = new ArrayList<>();
    Set<String> objects = new HashSet<>();
    for (Routing.Route r : routing.routes()) {
      Destination d = r.destination();
      if (d.scope() == Scope.TENANT && d.tenant() != null && tenants.contains(d.tenant())) {
        routes.add(r);
        objects.add(d.receiver().toString());
        if (d.config() != null) {
          objects.add(d.config().toString());
        }
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (Problem p : routing.problems()) {
      if (objects.contains(p.object())) {
        problems.add(p);
      }
    }
    return new Routing(routes, List.of(), problems);
  }

  /** The records of {@code query} about receivers of {@code tenants}, newest first. */
  static List<DeliveryRecord> history(
      DeliveryHistory history, DeliveryHistory.Query query, Set<String> tenants) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (String tenant : tenants) {
      if (query.tenant() == null || query.tenant().equals(tenant)) {
        out.addAll(history.query(query.tenant(tenant)));
      }
    }
    out.sort(Comparator.comparing(DeliveryRecord::time).reversed());
    return out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
  }
}
