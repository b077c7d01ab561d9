package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The problems found while building one snapshot, in the order found, knowing which of them are
 * outcomes of routing the whole set rather than errors of one object.
 */
public final class SnapshotProblems {
  private final List<Problem> all = new ArrayList<>();
  // Problems that depend on how the whole set routes (which default wins, ambiguous selectors, a
  // receiver without config), not on whether one object is valid: validating one object leaves
  // them out.
  private final Set<Problem> routingOutcomes = Collections.newSetFromMap(new IdentityHashMap<>());

  public void addAll(List<Problem> problems) {
    all.addAll(problems);
  }

  public void add(Problem problem) {
    all.add(problem);
  }

  public void error(ObjectRef ref, String field, String message) {
    all.add(Problem.error(ref, field, message));
  }

  public void notice(ObjectRef ref, String field, String message) {
    all.add(Problem.notice(ref, field, message));
  }

  /** An error that follows from how the whole set routes, not from the object alone. */
  public void routingError(ObjectRef ref, String field, String message) {
    Problem p = Problem.error(ref, field, message);
    all.add(p);
    routingOutcomes.add(p);
  }

  /** Records each field error as an error of {@code ref}; whether there was none. */
  public boolean report(ObjectRef ref, List<FieldError> errors) {
    // By index: an iterator over the empty list most objects report would be made for each.
    for (int i = 0, n = errors.size(); i < n; i++) {
      FieldError e = errors.get(i);
      error(ref, e.field(), e.message());
    }
    return errors.isEmpty();
  }

  /** Where the next problem will go: what {@link #since} records from. */
  public int mark() {
    return all.size();
  }

  /** The problems found since {@code mark}, to {@link #replay} in a later build. */
  public Recorded since(int mark) {
    if (mark == all.size()) {
      return Recorded.NONE;
    }
    List<Problem> found = List.copyOf(all.subList(mark, all.size()));
    List<Problem> routing = new ArrayList<>();
    for (Problem p : found) {
      if (routingOutcomes.contains(p)) {
        routing.add(p);
      }
    }
    return new Recorded(found, List.copyOf(routing));
  }

  /** Adds problems an earlier build found for an object it reused, as it found them. */
  public void replay(Recorded recorded) {
    if (recorded == Recorded.NONE) {
      return; // most objects have no problems: no copies, and no walk over empty lists
    }
    all.addAll(recorded.problems());
    routingOutcomes.addAll(recorded.routingOutcomes());
  }

  /** Adds the problems {@code recorded} at {@code [from, to)}, as {@link #replay} adds them all. */
  public void replay(Recorded recorded, int from, int to) {
    if (from == to) {
      return;
    }
    List<Problem> part = recorded.problems().subList(from, to);
    all.addAll(part);
    if (!recorded.routingOutcomes().isEmpty()) {
      Set<Problem> inPart = Collections.newSetFromMap(new IdentityHashMap<>());
      inPart.addAll(part);
      for (Problem p : recorded.routingOutcomes()) {
        if (inPart.contains(p)) {
          routingOutcomes.add(p);
        }
      }
    }
  }

  /**
   * Problems found while computing one result, kept with it so a build reusing the result reports
   * them again.
   *
   * @param problems in the order found
   * @param routingOutcomes those of them that are routing outcomes (the same instances)
   */
  public record Recorded(List<Problem> problems, List<Problem> routingOutcomes) {
    public static final Recorded NONE = new Recorded(List.of(), List.of());
  }

  /** Every problem, errors and notices, in the order found. */
  public List<Problem> all() {
    return all;
  }

  /** The errors of the object {@code ref} itself, routing outcomes left out. */
  public List<Problem> errorsOf(ObjectRef ref) {
    String name = ref.toString();
    List<Problem> out = new ArrayList<>();
    for (Problem p : all) {
      if (p.object().equals(name)
          && p.severity() == Problem.Severity.ERROR
          && !routingOutcomes.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }
}
