package io.nm4j.http.internal;

import io.nm4j.spi.EgressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * The system's DNS, tagged with an egress policy. OkHttp reuses a pooled connection for any client
 * whose address equals the connection's, and the socket factory is not part of that equality while
 * the DNS is: without this tag a restricted client could be handed a connection an unrestricted one
 * opened to a denied address, and no connect would be checked. Clients of equal policies still
 * share their connections.
 *
 * @param policy the policy of the clients using it
 */
public record EgressDns(EgressPolicy policy) implements Dns {
  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    return Dns.SYSTEM.lookup(hostname);
  }
}
