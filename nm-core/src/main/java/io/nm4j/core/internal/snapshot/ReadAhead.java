package io.nm4j.core.internal.snapshot;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Parses the receivers and configs of the second half of a large set on a second thread while a
 * build reads the first half, so that a cold build of tens of thousands of objects uses two cores
 * for the work that costs most per object.
 *
 * <p>The build still reads every object in the set's order and reports every problem in that order:
 * an object parsed ahead is parsed exactly as the build would parse it, with its problems recorded
 * apart and replayed when the build reaches it. Each object of the second half is parsed once, by
 * whichever thread claims it first ({@link SplitWork}).
 */
public final class ReadAhead {
  /** The smallest set worth a second thread; a thread costs less than parsing a hundred objects. */
  public static final int FROM_OBJECTS = SplitWork.FROM_OBJECTS;

  /** An object parsed ahead: its receiver or config ({@code null} when invalid) and problems. */
  private record Read(@Nullable Object parsed, SnapshotProblems.Recorded problems) {}

  /**
   * The result of an object that is neither a receiver nor a config, which the build never asks
   * for.
   */
  private static final Object NOT_PARSED = new Object();

  private static final ReadAhead NONE = new ReadAhead(SplitWork.none());

  private final SplitWork<Object> split;

  private ReadAhead(SplitWork<Object> split) {
    this.split = split;
  }

  /** Nothing read ahead: the build parses every object itself. */
  public static ReadAhead none() {
    return NONE;
  }

  /**
   * Starts parsing the second half of {@code objects} on a new thread when the set is large and the
   * machine has a second core; otherwise nothing is read ahead.
   */
  public static ReadAhead start(
      List<ConfigObject> objects, ChannelRegistry channels, String namespace) {
    if (objects.size() < FROM_OBJECTS) {
      return NONE;
    }
    SnapshotProblems found = new SnapshotProblems();
    SpecParser parser = new SpecParser(channels, namespace, found);
    return new ReadAhead(
        SplitWork.start(
            "nm4j-snapshot-read-ahead",
            objects.size(),
            objects.size() / 2,
            index -> parse(objects.get(index), channels, parser, found)));
  }

  /**
   * The receiver or config at {@code index} of the set: parsed ahead, its problems replayed into
   * {@code problems}, or else parsed now by {@code parseHere}.
   */
  @SuppressWarnings("unchecked")
  public <T extends ChannelSpec> @Nullable ParsedObject<T> read(
      int index, SnapshotProblems problems, Supplier<@Nullable ParsedObject<T>> parseHere) {
    Object ahead = split.take(index);
    if (ahead instanceof Read read) {
      problems.replay(read.problems());
      return (ParsedObject<T>) read.parsed();
    }
    return parseHere.get();
  }

  /**
   * Ends the helper once the build has read the set: nothing is left to parse, and no thread of a
   * build outlives it.
   */
  public void finish() {
    split.finish();
  }

  private static Object parse(
      ConfigObject o, ChannelRegistry registry, SpecParser parser, SnapshotProblems found) {
    if (!o.apiVersion().equals(ConfigObject.API_VERSION)) {
      return NOT_PARSED;
    }
    ChannelProvider<?, ?> receiverChannel = registry.forReceiverKind(o.kind());
    ChannelProvider<?, ?> configChannel = registry.forConfigKind(o.kind());
    int mark = found.mark();
    if (receiverChannel != null) {
      return new Read(parser.receiver(o, receiverChannel), found.since(mark));
    } else if (configChannel != null) {
      return new Read(parser.config(o, configChannel), found.since(mark));
    }
    return NOT_PARSED;
  }
}
