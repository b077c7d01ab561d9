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
    for (FieldError e : errors) {
      error(ref, e.field(), e.message());
    }
    return errors.isEmpty();
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
