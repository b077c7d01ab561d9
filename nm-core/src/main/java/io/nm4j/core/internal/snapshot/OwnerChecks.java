package io.nm4j.core.internal.snapshot;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;

/**
 * Checks what an object's owner may use, as a send will: its secret references resolve among its
 * owner's secrets, and its endpoints pass its owner's egress policy (as far as that can tell
 * without DNS).
 */
public final class OwnerChecks {
  private final OwnedSecrets secrets;
  private final Owner.Egress egress;
  private final SnapshotProblems problems;

  public OwnerChecks(OwnedSecrets secrets, Owner.Egress egress, SnapshotProblems problems) {
    this.secrets = secrets;
    this.egress = egress;
    this.problems = problems;
  }

  /** Records an error for each secret reference or endpoint {@code owner} may not use. */
  public void check(ObjectRef ref, ChannelSpec spec, Owner owner) {
    for (Map.Entry<String, SecretKeySelector> e : spec.secretRefs().entrySet()) {
      if (secrets.lookup(owner, e.getValue()) instanceof OwnedSecrets.Lookup.Missing m) {
        problems.error(ref, e.getKey(), m.message());
      }
    }
    EgressPolicy policy = egress.of(owner);
    if (policy.isUnrestricted()) {
      return;
    }
    for (Map.Entry<String, Endpoint> e : spec.endpoints().entrySet()) {
      String denied = policy.checkHost(e.getValue().host(), e.getValue().port());
      if (denied != null) {
        problems.error(
            ref,
            e.getKey(),
            "egress denied for "
                + owner.describe()
                + ": "
                + denied
                + "; its notifications fail with EGRESS_DENIED");
      }
    }
  }
}
