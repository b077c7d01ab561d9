package io.nm4j.core.internal.snapshot;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the receivers, configs and secrets of a large set on a second thread while a build reads
 * the set, so that a cold build of tens of thousands of objects uses two cores for the work that
 * costs most per object.
 *
 * <p>The build reads the set from its first object on; the helper reads it from its last object
 * back ({@link SplitWork#startFromTheEnd}), and the two meet wherever their work makes them meet,
 * so they finish together however the cost of the set is spread (a build also fetches, checks and
 * files every object, which the helper does not). Each object is read once, by whichever thread
 * claims it first.
 *
 * <p>The build still reads every object in the set's order and reports every problem in that order:
 * an object read ahead is read exactly as the build would read it, with its problems recorded apart
 * and replayed when the build reaches it.
 */
public final class ReadAhead {
  /** The smallest set worth a second thread; a thread costs less than parsing a hundred objects. */
  public static final int FROM_OBJECTS = SplitWork.FROM_OBJECTS;

  /** An object read ahead: its result ({@code null} when invalid) and problems. */
  public record Read(@Nullable Object result, SnapshotProblems.Recorded problems) {}

  private static final ReadAhead NONE = new ReadAhead(SplitWork.none());

  private final SplitWork<Read> split;

  private ReadAhead(SplitWork<Read> split) {
    this.split = split;
  }

  /** Nothing read ahead: the build reads every object itself. */
  public static ReadAhead none() {
    return NONE;
  }

  /**
   * Starts reading {@code objects} from the end on a new thread when the set is large, the machine
   * has a second core and a helper is free ({@link SplitWork#HELPERS}); otherwise nothing is read
   * ahead.
   */
  public static ReadAhead start(
      List<ConfigObject> objects, ChannelRegistry channels, String namespace) {
    if (objects.size() < FROM_OBJECTS) {
      return NONE;
    }
    SnapshotProblems found = new SnapshotProblems();
    SpecParser parser = new SpecParser(channels, namespace, found);
    return new ReadAhead(
        SplitWork.startFromTheEnd(
            "nm4j-snapshot-read-ahead",
            objects.size(),
            index -> read(objects.get(index), channels, namespace, parser, found)));
  }

  /**
   * The receiver, config or secret values at {@code index} of the set as read ahead, whose problems
   * the build replays where it reaches the object; {@code null} when the build is to read it.
   */
  public @Nullable Read take(int index) {
    return split.take(index);
  }

  /**
   * Ends the helper once the build has read the set: nothing is left to read, and no thread of a
   * build outlives it.
   */
  public void finish() {
    split.finish();
  }

  /**
   * What the build would read for {@code o}; {@code null} for an object it reads otherwise or not
   * at all (one of another namespace, which it reports unread). A second definition of a name is
   * read here and never asked for: the build reads the first.
   */
  private static @Nullable Read read(
      ConfigObject o,
      ChannelRegistry registry,
      String namespace,
      SpecParser parser,
      SnapshotProblems found) {
    String ns = o.metadata().namespace();
    if (!ns.isEmpty() && !ns.equals(namespace)) {
      return null;
    }
    int mark = found.mark();
    if (o.apiVersion().equals(ConfigObject.API_VERSION)) {
      ChannelProvider<?, ?> receiverChannel = registry.forReceiverKind(o.kind());
      if (receiverChannel != null) {
        return new Read(parser.receiver(o, receiverChannel), found.since(mark));
      }
      ChannelProvider<?, ?> configChannel = registry.forConfigKind(o.kind());
      if (configChannel != null) {
        return new Read(parser.config(o, configChannel), found.since(mark));
      }
    } else if (o.apiVersion().equals("v1") && o.kind().equals(SecretReader.KIND)) {
      return new Read(SecretReader.read(o, found), found.since(mark));
    }
    return null;
  }
}
