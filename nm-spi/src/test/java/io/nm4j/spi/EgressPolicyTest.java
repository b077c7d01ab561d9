package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
  private final EgressPolicy tenant = EgressPolicy.tenantDefault();

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void theTenantDefaultDeniesLoopbackUnspecifiedLinkLocalAndMetadataInEveryForm() throws Exception {
    assertThat(tenant.check(ip("127.0.0.1"), 80)).isEqualTo("127.0.0.1 is loopback (127.0.0.0/8)");
    assertThat(tenant.check(ip("127.45.6.7"), 80)).contains("loopback");
    assertThat(tenant.check(ip("::1"), 80)).contains("loopback");
    assertThat(tenant.check(ip("0.0.0.0"), 80)).contains("unspecified");
    assertThat(tenant.check(ip("::"), 80)).contains("unspecified");
    assertThat(tenant.check(ip("169.254.169.254"), 80)).contains("cloud metadata");
    assertThat(tenant.check(ip("fd00:ec2::254"), 80)).contains("cloud metadata");
    assertThat(tenant.check(ip("100.100.100.200"), 80)).contains("cloud metadata");
    assertThat(tenant.check(ip("169.254.1.2"), 80)).contains("link-local");
    assertThat(tenant.check(ip("fe80::1"), 80)).contains("link-local");
    // IPv4 inside IPv6: mapped, compatible, NAT64, 6to4
    assertThat(tenant.check(ip("::ffff:127.0.0.1"), 80)).contains("loopback");
    assertThat(tenant.check(ip("::127.0.0.1"), 80)).contains("loopback");
    assertThat(tenant.check(ip("64:ff9b::a9fe:a9fe"), 80)).contains("cloud metadata");
    assertThat(tenant.check(ip("2002:7f00:1::1"), 80)).contains("loopback");
  }

  @Test
  void privateAndPublicAddressesAreTheOperatorsChoiceAndAllowedByDefault() throws Exception {
    assertThat(tenant.check(ip("10.1.2.3"), 80)).isNull();
    assertThat(tenant.check(ip("192.168.1.1"), 25)).isNull();
    assertThat(tenant.check(ip("93.184.216.34"), 443)).isNull();
    assertThat(tenant.check(ip("2001:db8::1"), 443)).isNull();
  }

  @Test
  void anAllowedRangeWinsOverADeniedOne() throws Exception {
    EgressPolicy p = EgressPolicy.builder().deny("10.0.0.0/8").allow("10.1.0.0/16").build();
    assertThat(p.check(ip("10.2.3.4"), 80)).isEqualTo("10.2.3.4 is in the denied range 10.0.0.0/8");
    assertThat(p.check(ip("10.1.3.4"), 80)).isNull();
  }

  @Test
  void anAllowReopensABuiltInDenialOnlyWhenItLiesInsideTheBuiltInRange() throws Exception {
    EgressPolicy everything = EgressPolicy.builder().allow("0.0.0.0/0").allow("::/0").build();
    assertThat(everything.check(ip("127.0.0.1"), 80)).contains("loopback");
    assertThat(everything.check(ip("169.254.169.254"), 80)).contains("metadata");

    EgressPolicy one = EgressPolicy.builder().allow("127.0.0.1/32").build();
    assertThat(one.check(ip("127.0.0.1"), 80)).isNull();
    assertThat(one.check(ip("127.0.0.2"), 80)).contains("loopback");
    assertThat(one.check(ip("169.254.169.254"), 80)).contains("metadata");
  }

  @Test
  void ownListenerPortsStayDeniedOnEveryLocalAddressEvenWhenLoopbackIsAllowed() throws Exception {
    EgressPolicy p = EgressPolicy.builder().allow("127.0.0.0/8").denyLocalPort(19093).build();
    assertThat(p.check(ip("127.0.0.1"), 19093))
        .isEqualTo("127.0.0.1:19093 is a listener of this nm4j");
    assertThat(p.check(ip("0.0.0.0"), 19093)).contains("listener");
    assertThat(p.check(ip("127.0.0.1"), 8080)).isNull();
    assertThat(p.check(ip("10.9.9.9"), 19093)).isNull(); // not an address of this host
  }

  @Test
  void unrestrictedAllowsEverything() throws Exception {
    assertThat(EgressPolicy.UNRESTRICTED.check(ip("127.0.0.1"), 80)).isNull();
    assertThat(EgressPolicy.UNRESTRICTED.checkHost("localhost", 80)).isNull();
    assertThat(EgressPolicy.UNRESTRICTED.isUnrestricted()).isTrue();
    assertThat(tenant.isUnrestricted()).isFalse();
  }

  @Test
  void hostChecksWithoutDnsCatchLiteralsInEveryNotationLocalhostAndMetadataNames() {
    assertThat(tenant.checkHost("127.0.0.1", 80)).contains("loopback");
    assertThat(tenant.checkHost("127.1", 80)).contains("loopback");
    assertThat(tenant.checkHost("2130706433", 80)).contains("loopback");
    assertThat(tenant.checkHost("0x7f000001", 80)).contains("loopback");
    assertThat(tenant.checkHost("0177.0.0.1", 80)).contains("loopback");
    assertThat(tenant.checkHost("[::1]", 80)).contains("loopback");
    assertThat(tenant.checkHost("::ffff:169.254.169.254", 80)).contains("metadata");
    assertThat(tenant.checkHost("0.0.0.0", 80)).contains("unspecified");
    assertThat(tenant.checkHost("LOCALHOST.", 80)).isEqualTo("LOCALHOST. is loopback (localhost)");
    assertThat(tenant.checkHost("api.localhost", 80)).contains("loopback");
    assertThat(tenant.checkHost("metadata.google.internal", 80)).contains("cloud metadata");
    assertThat(tenant.checkHost("hooks.example.com", 443)).isNull();
    assertThat(tenant.checkHost("10.0.0.1", 443)).isNull();
    assertThat(tenant.checkHost("1.2.3.4.5", 443)).isNull(); // a name, resolved at connect
  }

  @Test
  void aHexPartWithASignIsAHostNameNotAnAddress() {
    assertThat(EgressPolicy.parseLiteral("0x-1")).isNull();
    assertThat(EgressPolicy.parseLiteral("0x+7f000001")).isNull();
    assertThat(EgressPolicy.parseLiteral("10.0x-1")).isNull();
    assertThat(EgressPolicy.parseLiteral("0x7f.1")).hasToString("/127.0.0.1");
  }

  @Test
  void aGuardedSocketRefusesADeniedAddressBeforeConnecting() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, ip("127.0.0.1"))) {
      int port = listener.getLocalPort();
      try (Socket s = tenant.socketFactory().createSocket()) {
        assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 1000))
            .isInstanceOf(EgressDeniedException.class)
            .hasMessage("127.0.0.1 is loopback (127.0.0.0/8)");
        assertThat(s.isConnected()).isFalse();
      }
      assertThatThrownBy(() -> tenant.socketFactory().createSocket("localhost", port))
          .isInstanceOf(EgressDeniedException.class);
      EgressPolicy open = EgressPolicy.builder().allow("127.0.0.1/32").build();
      try (Socket s = open.socketFactory().createSocket("127.0.0.1", port);
          Socket accepted = listener.accept()) {
        assertThat(s.isConnected()).isTrue();
        assertThat(accepted.getPort()).isEqualTo(s.getLocalPort());
      }
    }
  }

  @Test
  void aDenialIsFoundInCausesAndSuppressedExceptions() {
    EgressDeniedException denied = new EgressDeniedException("127.0.0.1 is loopback");
    IOException outer = new IOException("all routes failed");
    outer.addSuppressed(denied);
    RuntimeException wrapped = new RuntimeException(outer);
    assertThat(EgressDeniedException.find(wrapped)).isSameAs(denied);
    assertThat(EgressDeniedException.find(new IOException("other"))).isNull();
  }

  @Test
  void rangesAreParsedStrictly() {
    assertThat(EgressPolicy.Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
    assertThat(EgressPolicy.Cidr.parse("10.1.2.3").toString()).isEqualTo("10.1.2.3/32");
    assertThat(EgressPolicy.Cidr.parse("fd00::/8").prefix()).isEqualTo(8);
    assertThatThrownBy(() -> EgressPolicy.Cidr.parse("example.com/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CIDR range");
    assertThatThrownBy(() -> EgressPolicy.Cidr.parse("10.0.0.0/33"))
        .hasMessageContaining("prefix must be 0..32");
  }

  @Test
  void equalPoliciesAreEqualSoClientsCanBeSharedByPolicy() {
    assertThat(EgressPolicy.builder().deny("10.0.0.0/8").build())
        .isEqualTo(EgressPolicy.builder().deny("10.0.0.0/8").build())
        .isNotEqualTo(EgressPolicy.tenantDefault());
    assertThat(EgressPolicy.tenantDefault().toBuilder().build()).isEqualTo(tenant);
  }
}
