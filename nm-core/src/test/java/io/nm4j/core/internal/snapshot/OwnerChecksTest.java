package io.nm4j.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What an object's owner may use: its owner's secrets, and endpoints its egress policy allows. */
class OwnerChecksTest {
  private static final ObjectRef RECEIVER = new ObjectRef("TestReceiver", "r");

  private static final OwnedSecrets SECRETS =
      OwnedSecrets.builder(2)
          .add("alice-creds", Owner.tenant("alice"), Map.of("token", bytes("a")))
          .add("admin-creds", Owner.ADMIN, Map.of("token", bytes("b")))
          .build();

  private record Spec(Map<String, SecretKeySelector> secretRefs, Map<String, Endpoint> endpoints)
      implements ChannelSpec {}

  @Test
  void aTenantObjectReferringToAnotherOwnersSecretIsReportedAsNotFoundAmongItsOwn() {
    Spec spec =
        new Spec(Map.of("spec.token", new SecretKeySelector("admin-creds", "token")), Map.of());

    assertThat(problemsOfTenant(spec, "alice"))
        .containsExactly(
            "spec.token: secret \"admin-creds\" not found among tenant alice's secrets");
    assertThat(problemsOfTenant(spec, null)).isEmpty();
  }

  @Test
  void aTenantObjectsEndpointGoesThroughTheTenantsEgressPolicyAndTheAdminsDoesNot() {
    Spec spec = new Spec(Map.of(), Map.of("spec.url", new Endpoint("127.0.0.1", 80)));

    assertThat(problemsOfTenant(spec, "alice"))
        .singleElement()
        .asString()
        .startsWith("spec.url: egress denied for tenant alice: ")
        .endsWith("; its notifications fail with EGRESS_DENIED");
    assertThat(problemsOfTenant(spec, null)).isEmpty();
  }

  private static List<String> problemsOfTenant(ChannelSpec spec, @Nullable String tenant) {
    SnapshotProblems problems = new SnapshotProblems();
    checks(problems).check(RECEIVER, spec, Owner.of(tenant));
    return described(problems);
  }

  private static OwnerChecks checks(SnapshotProblems problems) {
    return new OwnerChecks(SECRETS, Owner.Egress.DEFAULTS, problems);
  }

  private static List<String> described(SnapshotProblems problems) {
    return problems.all().stream().map(p -> p.field() + ": " + p.message()).toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
