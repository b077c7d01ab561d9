package io.nm4j.core.internal;

import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The secrets of a snapshot with their owners, resolved only under the {@link Owner} rule. A secret
 * of another owner is reported exactly like one that does not exist, so a failure never tells a
 * tenant that another owner has a secret of that name.
 */
public final class OwnedSecrets {
  /** No secrets. */
  public static final OwnedSecrets EMPTY = new OwnedSecrets(ShardedMap.empty());

  /**
   * One secret.
   *
   * @param inline from a v2beta2 object's inline value rather than a {@code Secret}
   */
  private record Entry(Owner owner, Map<String, byte[]> data, boolean inline) {}

  // Sharded so that a rotated secret copies one shard, not every secret of the snapshot.
  private final ShardedMap<Entry> byName;

  private OwnedSecrets(ShardedMap<Entry> byName) {
    this.byName = byName;
  }

  /** Collects secrets; a name given twice keeps the first (the snapshot reports the second). */
  public static final class Builder {
    private final ShardedMap.Builder<Entry> byName;

    private Builder(int expectedSecrets) {
      byName = ShardedMap.builder(expectedSecrets);
    }

    public Builder add(String name, Owner owner, Map<String, byte[]> data) {
      return addIfAbsent(name, owner, data, false);
    }

    /**
     * A value given inline in a v2beta2 object, which a {@code Secret} of its name cannot shadow.
     */
    public Builder addInline(String name, Owner owner, Map<String, byte[]> data) {
      return addIfAbsent(name, owner, data, true);
    }

    private Builder addIfAbsent(
        String name, Owner owner, Map<String, byte[]> data, boolean inline) {
      if (byName.get(name) == null) {
        byName.put(name, new Entry(owner, Map.copyOf(data), inline));
      }
      return this;
    }

    public OwnedSecrets build() {
      return new OwnedSecrets(byName.build());
    }
  }

  /**
   * @param expectedSecrets about how many secrets will be added, which sizes the map they go
   *     straight into
   */
  public static Builder builder(int expectedSecrets) {
    return new Builder(expectedSecrets);
  }

  /**
   * These secrets with the values of the {@code Secret} {@code name} rotated: the same owner and
   * the same keys, so every lookup finds what it found before, only the values differ. {@code null}
   * when the rotation is not only that (a new secret, another owner, keys added or removed, a name
   * an inline value holds): then lookups may change and the snapshot is built again.
   */
  public @Nullable OwnedSecrets rotated(String name, Owner owner, Map<String, byte[]> data) {
    Entry before = byName.get(name);
    if (before == null
        || before.inline()
        || !before.owner().equals(owner)
        || !before.data().keySet().equals(data.keySet())) {
      return null;
    }
    return new OwnedSecrets(byName.with(name, new Entry(owner, Map.copyOf(data), false)));
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
    byte[] value = valueOf(requester, ref);
    return value == null
        ? new Lookup.Missing(whyMissing(requester, ref))
        : new Lookup.Found(Secret.ofBytes(value));
  }

  /**
   * Why {@code ref} does not resolve for an object owned by {@code requester}, as {@link #lookup}
   * says it; {@code null} when it resolves. A check that needs no value copies none.
   */
  public @Nullable String missing(Owner requester, SecretKeySelector ref) {
    return valueOf(requester, ref) == null ? whyMissing(requester, ref) : null;
  }

  private byte @Nullable [] valueOf(Owner requester, SecretKeySelector ref) {
    Entry e = byName.get(ref.name());
    return e == null || !e.owner().equals(requester) ? null : e.data().get(ref.key());
  }

  private String whyMissing(Owner requester, SecretKeySelector ref) {
    Entry e = byName.get(ref.name());
    return e == null || !e.owner().equals(requester)
        ? "secret \"" + ref.name() + "\" not found among " + requester.describe() + "'s secrets"
        : "secret \"" + ref.name() + "\" has no key \"" + ref.key() + "\"";
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
