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

  /** The same checks, reporting into {@code found} (a helper thread's problems). */
  public OwnerChecks reportingTo(SnapshotProblems found) {
    return new OwnerChecks(secrets, egress, found);
  }

  /** Records an error for each secret reference or endpoint {@code owner} may not use. */
  public void check(ObjectRef ref, ChannelSpec spec, Owner owner) {
    check(ref, "spec", spec, owner);
  }

  /**
   * The same for a spec that lies at {@code specPath} of its object, such as one channel block of a
   * v2beta2 {@code Receiver} ({@code spec.slack}): errors are the object's, with their fields under
   * that path, so a check of that object alone (the admin API's) sees them.
   */
  public void check(ObjectRef ref, String specPath, ChannelSpec spec, Owner owner) {
    // Most specs hold no secret reference or endpoint: an empty map is not iterated, which would
    // cost an iterator for each of 50,000 receivers.
    Map<String, SecretKeySelector> secretRefs = spec.secretRefs();
    if (!secretRefs.isEmpty()) {
      for (Map.Entry<String, SecretKeySelector> e : secretRefs.entrySet()) {
        String missing = secrets.missing(owner, e.getValue());
        if (missing != null) {
          problems.error(ref, at(specPath, e.getKey()), missing);
        }
      }
    }
    EgressPolicy policy = egress.of(owner);
    if (policy.isUnrestricted()) {
      return;
    }
    Map<String, Endpoint> endpoints = spec.endpoints();
    if (endpoints.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
      String denied = policy.checkHost(e.getValue().host(), e.getValue().port());
      if (denied != null) {
        problems.error(
            ref,
            at(specPath, e.getKey()),
            "egress denied for "
                + owner.describe()
                + ": "
                + denied
                + "; its notifications fail with EGRESS_DENIED");
      }
    }
  }

  /** A spec's field ({@code spec.url}) at the path the spec lies at ({@code spec.webhook.url}). */
  private static String at(String specPath, String field) {
    return field.equals("spec") || field.startsWith("spec.")
        ? specPath + field.substring("spec".length())
        : field;
  }
}
