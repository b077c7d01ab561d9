package io.nm4j.core.internal.store;

import io.nm4j.core.Manifests;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one file of the directory store holds: its objects and what is wrong with it now. A file
 * that breaks (unreadable, too large, not parseable as a whole) keeps its last good objects, its
 * problems saying so, so one bad edit never drops receivers that worked.
 *
 * @param objects its objects: the last good ones when it is broken now
 * @param problems what is wrong with it now
 */
public record FileView(List<ConfigObject> objects, List<Problem> problems) {

  /**
   * The file now; {@code null} when it is gone.
   *
   * @param origin the file as messages name it (below the store's directory)
   * @param previous what it held at the last read; {@code null} when it is new
   * @param unreadable collects the files that could not be read, with why
   */
  public static @Nullable FileView read(
      Path file, String origin, @Nullable FileView previous, List<String> unreadable) {
    byte[] bytes;
    try {
      if (Files.size(file) > Manifests.MAX_BYTES) {
        return broken(origin, previous, "file is larger than " + Manifests.MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      unreadable.add(origin + ": " + ManifestFiles.reason(e));
      return broken(origin, previous, "cannot read: " + ManifestFiles.reason(e));
    }
    ConfigSet set = Manifests.parse(bytes, origin);
    boolean brokenNow = set.problems().stream().anyMatch(p -> p.field().isEmpty());
    if (brokenNow && previous != null && !previous.objects().isEmpty()) {
      return new FileView(previous.objects(), set.problems()).kept();
    }
    return new FileView(set.objects(), set.problems());
  }

  private static FileView broken(String origin, @Nullable FileView previous, String message) {
    Problem p = new Problem(origin, "", message, Problem.Severity.ERROR);
    if (previous != null && !previous.objects().isEmpty()) {
      return new FileView(previous.objects(), List.of(p)).kept();
    }
    return new FileView(List.of(), List.of(p));
  }

  /** These objects kept, with one problem saying {@code why}. */
  public FileView keptBecause(String why) {
    Problem p =
        new Problem(
            objects.isEmpty() ? "" : objects.get(0).origin(), "", why, Problem.Severity.ERROR);
    return new FileView(objects, List.of(p)).kept();
  }

  /** These objects kept, each problem marked as keeping the last good version. */
  private FileView kept() {
    List<Problem> marked = new ArrayList<>();
    for (Problem p : problems) {
      marked.add(
          new Problem(
              p.object(),
              p.field(),
              p.message() + "; keeping the file's last good version",
              p.severity()));
    }
    return new FileView(objects, marked);
  }
}
