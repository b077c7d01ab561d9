package io.nm4j.core.internal.snapshot;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
 * whichever thread claims it first: the helper claims them in order, and the build claims the one
 * it needs when the helper has not got to it yet, so a helper that never gets a core only costs the
 * build one atomic update per object of the second half.
 */
public final class ReadAhead {
  /** The smallest set worth a second thread; a thread costs less than parsing a hundred objects. */
  public static final int FROM_OBJECTS = 4_096;

  /** An object parsed ahead: its receiver or config ({@code null} when invalid) and problems. */
  private record Read(@Nullable Object parsed, SnapshotProblems.Recorded problems) {}

  /** A slot the helper gave up on (it failed); the build parses that object itself. */
  private static final Object ABANDONED = new Object();

  /**
   * A slot of an object that is neither a receiver nor a config, which the build never asks for.
   */
  private static final Object NOT_PARSED = new Object();

  private static final ReadAhead NONE = new ReadAhead(List.of(), 0, "");

  private final List<ConfigObject> objects;
  private final int from;
  private final AtomicInteger next;
  private final AtomicReferenceArray<Object> slots;
  private final String namespace;
  private @Nullable Thread helper;

  private ReadAhead(List<ConfigObject> objects, int from, String namespace) {
    this.objects = objects;
    this.from = from;
    this.next = new AtomicInteger(from);
    this.slots = new AtomicReferenceArray<>(objects.size() - from);
    this.namespace = namespace;
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
    if (objects.size() < FROM_OBJECTS || Runtime.getRuntime().availableProcessors() < 2) {
      return NONE;
    }
    ReadAhead ahead = new ReadAhead(objects, objects.size() / 2, namespace);
    Thread helper = new Thread(() -> ahead.parse(channels), "nm4j-snapshot-read-ahead");
    helper.setDaemon(true);
    try {
      helper.start();
    } catch (OutOfMemoryError | RuntimeException e) {
      return NONE; // no thread to be had: the build reads the set on its own, as a small one
    }
    ahead.helper = helper;
    return ahead;
  }

  /**
   * The receiver or config at {@code index} of the set: parsed ahead, its problems replayed into
   * {@code problems}, or else parsed now by {@code parseHere}.
   */
  @SuppressWarnings("unchecked")
  public <T extends ChannelSpec> @Nullable ParsedObject<T> read(
      int index, SnapshotProblems problems, Supplier<@Nullable ParsedObject<T>> parseHere) {
    Object ahead = take(index);
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
    Thread running = helper;
    if (running == null) {
      return;
    }
    next.set(objects.size());
    try {
      running.join();
    } catch (InterruptedException e) {
      // It stops after the object it is parsing; the build goes on and keeps the interrupt.
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What the helper read for {@code index}, waiting for it when the helper is parsing it; {@code
   * null} when the build claimed it first.
   */
  private @Nullable Object take(int index) {
    if (index < from || slots.length() == 0) {
      return null;
    }
    int claimed = next.get();
    while (claimed <= index) {
      // Past the helper: claim this object (those skipped between were the build's already).
      if (next.compareAndSet(claimed, index + 1)) {
        return null;
      }
      claimed = next.get();
    }
    Object read;
    int spins = 0;
    while ((read = slots.get(index - from)) == null) {
      // One object takes microseconds to parse: spin, and let the helper run when cores are few.
      if (++spins % 64 == 0) {
        Thread running = helper;
        if (running != null && !running.isAlive() && slots.get(index - from) == null) {
          return null; // the helper died on this object: the build parses it and meets the failure
        }
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
    return read;
  }

  private void parse(ChannelRegistry registry) {
    SnapshotProblems found = new SnapshotProblems();
    SpecParser parser = new SpecParser(registry, namespace, found);
    int index;
    while ((index = next.getAndIncrement()) < objects.size()) {
      ConfigObject o = objects.get(index);
      Object read = NOT_PARSED;
      try {
        if (o.apiVersion().equals(ConfigObject.API_VERSION)) {
          ChannelProvider<?, ?> receiverChannel = registry.forReceiverKind(o.kind());
          ChannelProvider<?, ?> configChannel = registry.forConfigKind(o.kind());
          int mark = found.mark();
          if (receiverChannel != null) {
            read = new Read(parser.receiver(o, receiverChannel), found.since(mark));
          } else if (configChannel != null) {
            read = new Read(parser.config(o, configChannel), found.since(mark));
          }
        }
      } catch (Throwable e) {
        // The build parses this object itself and meets the failure where it would have anyway.
        // Any throwable, a checked one a plugin throws undeclared included: a slot left empty would
        // keep the build waiting for it.
        slots.set(index - from, ABANDONED);
        return;
      }
      slots.set(index - from, read);
    }
  }
}
