package io.nm4j.spi;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which network addresses a send may connect to. The core gives every {@link SendRequest} the
 * policy of the config's owner: a tenant's configs get the tenant policy (by default it denies
 * loopback, link-local, unspecified and cloud metadata addresses and this nm4j's own listeners),
 * the admin's configs an unrestricted policy unless the operator sets one.
 *
 * <p>An address is checked in this order; the first rule that applies decides:
 *
 * <ol>
 *   <li>a {@linkplain Builder#denyLocalPort denied local port} on any address of this host
 *       (loopback, unspecified, or an address of one of its interfaces) is denied: nothing re-opens
 *       nm4j's own listeners;
 *   <li>a {@linkplain Builder#builtInDenials built-in} denied range (loopback {@code 127.0.0.0/8},
 *       {@code ::1}; unspecified {@code 0.0.0.0/8}, {@code ::}; cloud metadata {@code
 *       169.254.169.254}, {@code fd00:ec2::254}, {@code 100.100.100.200}; link-local {@code
 *       169.254.0.0/16}, {@code fe80::/10}) is denied, unless an allowed range lies inside that
 *       built-in range and holds the address: {@code allow 127.0.0.1/32} re-opens {@code
 *       127.0.0.1}, {@code allow 0.0.0.0/0} re-opens nothing built in;
 *   <li>an address in a {@linkplain Builder#allow allowed} range is allowed;
 *   <li>an address in a {@linkplain Builder#deny denied} range is denied;
 *   <li>everything else is allowed.
 * </ol>
 *
 * IPv6 addresses that embed an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are checked as the IPv4
 * address too, so {@code ::ffff:127.0.0.1} is loopback.
 *
 * <p>Channels enforce the policy when they connect, after DNS resolution, for every address they
 * actually connect to (through {@link #socketFactory()}), so a name that resolves to a denied
 * address, or re-resolves to one later, is refused. {@link #checkHost} checks what can be checked
 * without DNS (IP literals, {@code localhost}, well-known metadata host names) when an object is
 * validated.
 */
public final class EgressPolicy {

  /** Allows every address: the admin's configs, unless the operator sets a policy. */
  public static final EgressPolicy UNRESTRICTED =
      new EgressPolicy(false, List.of(), List.of(), Set.of());

  private static final List<Range> BUILT_IN =
      List.of(
          new Range("loopback", Cidr.parse("127.0.0.0/8")),
          new Range("loopback", Cidr.parse("::1/128")),
          new Range("unspecified", Cidr.parse("0.0.0.0/8")),
          new Range("unspecified", Cidr.parse("::/128")),
          new Range("cloud metadata", Cidr.parse("169.254.169.254/32")),
          new Range("cloud metadata", Cidr.parse("fd00:ec2::254/128")),
          new Range("cloud metadata", Cidr.parse("100.100.100.200/32")),
          new Range("link-local", Cidr.parse("169.254.0.0/16")),
          new Range("link-local", Cidr.parse("fe80::/10")));

  /** Host names of cloud metadata services, which resolve to a built-in denied address. */
  private static final Set<String> METADATA_HOSTS =
      Set.of(
          "metadata",
          "metadata.google.internal",
          "metadata.goog",
          "instance-data",
          "instance-data.ec2.internal",
          "metadata.tencentyun.com");

  private static final InetAddress METADATA_ADDRESS =
      literal(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254});
  private static final InetAddress LOOPBACK_V4 = literal(new byte[] {127, 0, 0, 1});

  private final boolean builtInDenials;
  private final List<Cidr> denied;
  private final List<Cidr> allowed;
  private final Set<Integer> deniedLocalPorts;

  private EgressPolicy(
      boolean builtInDenials, List<Cidr> denied, List<Cidr> allowed, Set<Integer> localPorts) {
    this.builtInDenials = builtInDenials;
    this.denied = List.copyOf(denied);
    this.allowed = List.copyOf(allowed);
    this.deniedLocalPorts = Set.copyOf(new TreeSet<>(localPorts));
  }

  /** The tenant policy without operator additions: the built-in denials only. */
  public static EgressPolicy tenantDefault() {
    return builder().build();
  }

  /** A policy with the built-in denials on; add ranges and ports as needed. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's rules, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder().builtInDenials(builtInDenials);
    b.denied.addAll(denied);
    b.allowed.addAll(allowed);
    b.localPorts.addAll(deniedLocalPorts);
    return b;
  }

  /** Whether this policy allows every address. */
  public boolean isUnrestricted() {
    return !builtInDenials && denied.isEmpty() && deniedLocalPorts.isEmpty();
  }

  /**
   * Why a connection to {@code address} and {@code port} is denied, e.g. {@code "127.0.0.1 is
   * loopback (127.0.0.0/8)"}; {@code null} when it is allowed.
   */
  public @Nullable String check(InetAddress address, int port) {
    Objects.requireNonNull(address, "address");
    if (isUnrestricted()) {
      return null;
    }
    List<InetAddress> forms = forms(address);
    String shown = address.getHostAddress();
    if (deniedLocalPorts.contains(port) && isLocal(forms)) {
      return shown + ":" + port + " is a listener of this nm4j";
    }
    if (builtInDenials) {
      for (Range r : BUILT_IN) {
        for (InetAddress a : forms) {
          if (r.cidr().contains(a) && !reopened(r.cidr(), a)) {
            return shown + " is " + r.name() + " (" + r.cidr() + ")";
          }
        }
      }
    }
    for (InetAddress a : forms) {
      for (Cidr c : allowed) {
        if (c.contains(a)) {
          return null;
        }
      }
    }
    for (InetAddress a : forms) {
      for (Cidr c : denied) {
        if (c.contains(a)) {
          return shown + " is in the denied range " + c;
        }
      }
    }
    return null;
  }

  /**
   * Why a host named in a configuration is denied, as far as can be told without DNS: IP literals
   * (also the short and numeric IPv4 forms such as {@code 127.1} or {@code 2130706433}), {@code
   * localhost} and {@code *.localhost}, and cloud metadata host names. {@code null} when nothing
   * can be said before the name is resolved; the connection is checked again then.
   *
   * @param host a host name or IP literal, IPv6 with or without brackets
   * @param port the port
   */
  public @Nullable String checkHost(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (isUnrestricted()) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".") && h.length() > 1) {
      h = h.substring(0, h.length() - 1);
    }
    InetAddress literal = parseLiteral(h);
    if (literal != null) {
      return check(literal, port);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      String reason = check(LOOPBACK_V4, port);
      return reason == null ? null : host + " is loopback (localhost)";
    }
    if (METADATA_HOSTS.contains(h)) {
      String reason = check(METADATA_ADDRESS, port);
      return reason == null ? null : host + " is cloud metadata";
    }
    return null;
  }

  /**
   * Refuses a connection to {@code endpoint} when this policy denies it.
   *
   * @throws EgressDeniedException naming the rule
   * @throws UnknownHostException when the endpoint's name does not resolve
   */
  public void checkConnect(SocketAddress endpoint) throws IOException {
    if (isUnrestricted() || !(endpoint instanceof InetSocketAddress inet)) {
      return;
    }
    InetAddress address = inet.getAddress();
    if (address == null) {
      throw new UnknownHostException(inet.getHostString());
    }
    String reason = check(address, inet.getPort());
    if (reason != null) {
      throw new EgressDeniedException(reason);
    }
  }

  /**
   * Plain sockets that check this policy in {@code connect}, after the address is resolved; the
   * sockets of an unrestricted policy are plain sockets. TLS layered on such a socket is covered
   * too.
   */
  public SocketFactory socketFactory() {
    return new GuardedSocketFactory(this);
  }

  /** Every IP form of an address: itself and, for IPv6, the IPv4 address it embeds. */
  private static List<InetAddress> forms(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return List.of(address);
    }
    byte[] b = address.getAddress();
    byte[] v4 = null;
    if (isZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
      v4 = Arrays.copyOfRange(b, 12, 16); // IPv4-mapped
    } else if (isZero(b, 0, 12) && !isZero(b, 12, 15)) {
      v4 = Arrays.copyOfRange(b, 12, 16); // IPv4-compatible (not :: or ::1)
    } else if (b[0] == 0
        && b[1] == 0x64
        && b[2] == (byte) 0xff
        && b[3] == (byte) 0x9b
        && isZero(b, 4, 12)) {
      v4 = Arrays.copyOfRange(b, 12, 16); // NAT64
    } else if (b[0] == 0x20 && b[1] == 0x02) {
      v4 = Arrays.copyOfRange(b, 2, 6); // 6to4
    }
    return v4 == null ? List.of(address) : List.of(address, literal(v4));
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean reopened(Cidr builtIn, InetAddress a) {
    for (Cidr c : allowed) {
      if (builtIn.encloses(c) && c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLocal(List<InetAddress> forms) {
    for (InetAddress a : forms) {
      if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
        return true;
      }
      try {
        if (NetworkInterface.getByInetAddress(a) != null) {
          return true;
        }
      } catch (SocketException e) {
        // interfaces cannot be listed: the loopback and unspecified checks above still hold
      }
    }
    return false;
  }

  /** An IP literal, also IPv4's short forms (inet_aton); {@code null} for anything else. */
  static @Nullable InetAddress parseLiteral(String h) {
    if (h.isEmpty()) {
      return null;
    }
    if (h.indexOf(':') >= 0) {
      if (!h.matches("[0-9a-f:.]+(%[0-9a-z]+)?")) {
        return null;
      }
      try {
        // A literal with ':' is never looked up in DNS.
        return InetAddress.getByName(h);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    if (!everyPartStartsWithADigit(h)) {
      // A host name, told without splitting it: each part of a literal starts with a digit.
      return null;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Long v = number(parts[i]);
      if (v == null) {
        return null;
      }
      values[i] = v;
    }
    long value = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return null;
      }
      value = (value << 8) | values[i];
    }
    int restBits = 8 * (4 - (values.length - 1));
    long last = values[values.length - 1];
    if (last >= (1L << restBits)) {
      return null;
    }
    value = (value << restBits) | last;
    return literal(
        new byte[] {
          (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
        });
  }

  /** Whether {@code h} has no empty part between dots and each part starts with a digit. */
  private static boolean everyPartStartsWithADigit(String h) {
    for (int start = 0; start <= h.length(); ) {
      if (start == h.length() || h.charAt(start) < '0' || h.charAt(start) > '9') {
        return false;
      }
      int dot = h.indexOf('.', start);
      if (dot < 0) {
        return true;
      }
      start = dot + 1;
    }
    return false;
  }

  /**
   * A number as inet_aton reads it: decimal, {@code 0x} hex or leading-zero octal. {@code s} is a
   * part {@link #everyPartStartsWithADigit} accepted: not empty, its first character a digit.
   */
  private static @Nullable Long number(String s) {
    try {
      if (s.startsWith("0x")) {
        // Hex digits only: Long.parseLong also takes a sign, and "0x-1" is a host name, not
        // 255.255.255.255.
        return s.length() > 2 && s.length() <= 10 && s.substring(2).matches("[0-9a-f]+")
            ? Long.parseLong(s.substring(2), 16)
            : null;
      }
      if (s.length() > 1 && s.startsWith("0")) {
        return s.length() <= 12 && s.matches("[0-7]+") ? Long.parseLong(s, 8) : null;
      }
      return s.matches("[0-9]{1,10}") ? Long.parseLong(s) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static InetAddress literal(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EgressPolicy p
        && builtInDenials == p.builtInDenials
        && denied.equals(p.denied)
        && allowed.equals(p.allowed)
        && deniedLocalPorts.equals(p.deniedLocalPorts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(builtInDenials, denied, allowed, deniedLocalPorts);
  }

  @Override
  public String toString() {
    if (isUnrestricted() && allowed.isEmpty()) {
      return "EgressPolicy[unrestricted]";
    }
    List<String> parts = new ArrayList<>();
    parts.add(builtInDenials ? "built-in denials" : "no built-in denials");
    if (!denied.isEmpty()) {
      parts.add("deny " + denied);
    }
    if (!allowed.isEmpty()) {
      parts.add("allow " + allowed);
    }
    if (!deniedLocalPorts.isEmpty()) {
      parts.add("local ports " + new TreeSet<>(deniedLocalPorts));
    }
    return "EgressPolicy[" + String.join(", ", parts) + "]";
  }

  private record Range(String name, Cidr cidr) {}

  /**
   * An IPv4 or IPv6 range, {@code address/prefix}.
   *
   * @param network the range's first address
   * @param prefix the number of leading bits that are fixed
   */
  public record Cidr(InetAddress network, int prefix) {

    public Cidr {
      Objects.requireNonNull(network, "network");
      int bits = network.getAddress().length * 8;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix must be 0.." + bits + ", was " + prefix);
      }
      network = literal(mask(network.getAddress(), prefix));
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a single address ({@code 10.1.2.3} is {@code
     * /32}, an IPv6 address {@code /128}). Only IP literals: a host name is refused.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cidr parse(String text) {
      Objects.requireNonNull(text, "text");
      String t = text.strip();
      int slash = t.indexOf('/');
      String address = slash < 0 ? t : t.substring(0, slash);
      boolean v6 = address.indexOf(':') >= 0;
      if (v6
          ? !address.matches("[0-9a-fA-F:.]+")
          : !address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
        throw new IllegalArgumentException(
            "not a CIDR range like 10.0.0.0/8 or fd00::/8: \"" + text + "\"");
      }
      InetAddress ip;
      try {
        ip = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: \"" + text + "\"", e);
      }
      if (v6 && ip instanceof Inet4Address) {
        throw new IllegalArgumentException(
            "write an IPv4-mapped range in IPv4 form: \"" + text + "\"");
      }
      int bits = ip.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = t.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
          throw new IllegalArgumentException("prefix must be 0.." + bits + " in \"" + text + "\"");
        }
        prefix = Integer.parseInt(p);
      }
      return new Cidr(ip, prefix);
    }

    /** Whether {@code address} is in this range (IPv4 and IPv6 ranges never hold each other's). */
    public boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      byte[] n = network.getAddress();
      return a.length == n.length && Arrays.equals(mask(a, prefix), n);
    }

    /** Whether {@code other} lies entirely inside this range. */
    public boolean encloses(Cidr other) {
      return other.prefix >= prefix && contains(other.network);
    }

    private static byte[] mask(byte[] address, int prefix) {
      byte[] out = address.clone();
      for (int i = 0; i < out.length; i++) {
        int keep = Math.max(0, Math.min(8, prefix - 8 * i));
        out[i] = (byte) (out[i] & (0xff << (8 - keep)));
      }
      return out;
    }

    @Override
    public String toString() {
      return network.getHostAddress() + "/" + prefix;
    }
  }

  /** Builds an {@link EgressPolicy}. */
  public static final class Builder {
    private boolean builtInDenials = true;
    private final Set<Cidr> denied = new LinkedHashSet<>();
    private final Set<Cidr> allowed = new LinkedHashSet<>();
    private final Set<Integer> localPorts = new LinkedHashSet<>();

    private Builder() {}

    /** Denies a range (e.g. {@code 10.0.0.0/8}); an allowed range holding an address wins. */
    public Builder deny(String cidr) {
      denied.add(Cidr.parse(cidr));
      return this;
    }

    /**
     * Allows a range: it wins over {@link #deny} ranges, and re-opens built-in denied addresses
     * only where it lies inside the built-in range ({@code 127.0.0.1/32} re-opens that address,
     * {@code 0.0.0.0/0} re-opens nothing built in).
     */
    public Builder allow(String cidr) {
      allowed.add(Cidr.parse(cidr));
      return this;
    }

    /** Denies a port on every address of this host: a listener of this nm4j (its own API). */
    public Builder denyLocalPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
      localPorts.add(port);
      return this;
    }

    /**
     * Whether the built-in denials (loopback, unspecified, link-local, cloud metadata) apply; on by
     * default. Off is for an operator's own policy for admin configs.
     */
    public Builder builtInDenials(boolean on) {
      this.builtInDenials = on;
      return this;
    }

    public EgressPolicy build() {
      return new EgressPolicy(
          builtInDenials, List.copyOf(denied), List.copyOf(allowed), Set.copyOf(localPorts));
    }
  }

  /** Sockets whose {@code connect} checks the policy first. */
  private static final class GuardedSocketFactory extends SocketFactory {
    private final EgressPolicy policy;

    GuardedSocketFactory(EgressPolicy policy) {
      this.policy = policy;
    }

    @Override
    public Socket createSocket() {
      return policy.isUnrestricted() ? new Socket() : new GuardedSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return connected(
          new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return connected(
          new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** A socket connected to {@code to} (checked first), bound to {@code local} when given. */
    private Socket connected(SocketAddress to, @Nullable SocketAddress local) throws IOException {
      Socket s = createSocket();
      try {
        if (local != null) {
          s.bind(local);
        }
        s.connect(to);
      } catch (IOException e) {
        s.close();
        throw e;
      }
      return s;
    }
  }

  /** A plain socket that refuses a denied address before any packet is sent. */
  private static final class GuardedSocket extends Socket {
    private final EgressPolicy policy;

    GuardedSocket(EgressPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      policy.checkConnect(endpoint);
      super.connect(endpoint, timeout);
    }
  }
}
