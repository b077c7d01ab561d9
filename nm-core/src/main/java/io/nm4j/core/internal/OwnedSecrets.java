package io.nm4j.core.internal;

import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The secrets of a snapshot with their owners, resolved only under the {@link Owner} rule. A secret
 * of another owner is reported exactly like one that does not exist, so a failure never tells a
 * tenant that another owner has a secret of that name.
 */
public final class OwnedSecrets {
  /** No secrets. */
  public static final OwnedSecrets EMPTY = new OwnedSecrets(Map.of());

  private record Entry(Owner owner, Map<String, byte[]> data) {}

  private final Map<String, Entry> byName;

  private OwnedSecrets(Map<String, Entry> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** Collects secrets; a name given twice keeps the first (the snapshot reports the second). */
  public static final class Builder {
    private final Map<String, Entry> byName = new HashMap<>();

    public Builder add(String name, Owner owner, Map<String, byte[]> data) {
      byName.putIfAbsent(name, new Entry(owner, Map.copyOf(data)));
      return this;
    }

    public OwnedSecrets build() {
      return new OwnedSecrets(byName);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A secret value, or why {@code requester} cannot have it. */
  public sealed interface Lookup {
    /** Resolved. */
    record Found(Secret value) implements Lookup {}

    /**
     * Not resolvable for this requester.
     *
     * @param message {@code secret "x" has no key "k"}, or {@code secret "x" not found among tenant
     *     alice's secrets}: never whether another owner has it
     */
    record Missing(String message) implements Lookup {}
  }

  /** Resolves {@code ref} for an object owned by {@code requester}. */
  public Lookup lookup(Owner requester, SecretKeySelector ref) {
    Entry e = byName.get(ref.name());
    if (e == null || !e.owner().equals(requester)) {
      return new Lookup.Missing(
          "secret \"" + ref.name() + "\" not found among " + requester.describe() + "'s secrets");
    }
    byte[] value = e.data().get(ref.key());
    if (value == null) {
      return new Lookup.Missing("secret \"" + ref.name() + "\" has no key \"" + ref.key() + "\"");
    }
    return new Lookup.Found(Secret.ofBytes(value));
  }

  /** The value when {@code requester} may have it, else {@code null}. */
  public @Nullable Secret value(Owner requester, SecretKeySelector ref) {
    return lookup(requester, ref) instanceof Lookup.Found f ? f.value() : null;
  }

  public int size() {
    return byName.size();
  }

  @Override
  public String toString() {
    return "OwnedSecrets[" + byName.size() + " secrets, values redacted]";
  }
}
