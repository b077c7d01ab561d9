package io.nm4j.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link ConfigSource} holds at one moment: the objects it could read, and what it
 * could not read (a malformed file, a watch error), so the core reports both.
 *
 * <p>A source that knows what changed since the set it published before may say so with {@link
 * #following}: the set is still the whole set for everyone who reads it whole, and the core uses
 * the {@link Change} to update only what the changed objects touch. A set without one is compared
 * with the previous set instead, so a source that knows nothing of changes stays correct.
 *
 * @param objects the objects, in the source's order
 * @param problems problems met while reading, each naming where
 * @param change what changed since the set this one follows, when the source knows it; not part of
 *     the set's equality
 */
public record ConfigSet(
    List<ConfigObject> objects, List<Problem> problems, @Nullable Change change) {

  public static final ConfigSet EMPTY = new ConfigSet(List.of(), List.of());

  public ConfigSet {
    objects = List.copyOf(objects);
    problems = List.copyOf(problems);
  }

  public ConfigSet(List<ConfigObject> objects, List<Problem> problems) {
    this(objects, problems, null);
  }

  public static ConfigSet of(List<ConfigObject> objects) {
    return new ConfigSet(objects, List.of());
  }

  /**
   * The set that follows {@code previous}: {@code objects} are {@code previous}'s without {@code
   * removed} and with {@code added}, a changed object being removed (the instance {@code previous}
   * held) and added (the new one). The others keep their order: an object moved among them is
   * removed and added, the same instance, since its place orders the problems a snapshot reports.
   *
   * @param previous the set the source published before this one
   * @param objects every object of the new set
   * @param problems the problems met while reading the new set
   * @param removed the objects of {@code previous} that are gone or replaced, the same instances
   * @param added the objects that are new or replace one, the same instances as in {@code objects}
   */
  public static ConfigSet following(
      ConfigSet previous,
      List<ConfigObject> objects,
      List<Problem> problems,
      List<ConfigObject> removed,
      List<ConfigObject> added) {
    return new ConfigSet(objects, problems, new Change(previous.objects(), removed, added));
  }

  /** Whether both hold the same objects and problems, however they were published. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ConfigSet other
        && objects.equals(other.objects)
        && problems.equals(other.problems);
  }

  @Override
  public int hashCode() {
    return Objects.hash(objects, problems);
  }

  @Override
  public String toString() {
    return "ConfigSet[objects=" + objects + ", problems=" + problems + "]";
  }

  /**
   * What changed between two sets a source published one after the other.
   *
   * @param follows the objects of the set this change follows, the same list instance: a reader
   *     that did not see that set compares the sets instead
   * @param removed objects of {@code follows} that are gone or replaced, the same instances
   * @param added objects that are new or replace one
   */
  public record Change(
      List<ConfigObject> follows, List<ConfigObject> removed, List<ConfigObject> added) {
    public Change {
      Objects.requireNonNull(follows, "follows");
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }

    /** Compares the lists by identity: a change follows one set, not any equal one. */
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Change c
          && c.follows == follows
          && c.removed.equals(removed)
          && c.added.equals(added);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(follows) * 31 + removed.hashCode() * 7 + added.hashCode();
    }

    @Override
    public String toString() {
      return "Change[follows "
          + follows.size()
          + " objects, removed="
          + removed.size()
          + ", added="
          + added.size()
          + "]";
    }
  }
}
