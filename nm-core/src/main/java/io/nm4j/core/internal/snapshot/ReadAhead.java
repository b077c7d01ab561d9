package io.nm4j.core.internal.snapshot;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads the receivers, configs and secrets of a large set on a second thread while a build reads
 * the set, so that a cold build of tens of thousands of objects uses two cores for the work that
 * costs most per object.
 *
 * <p>The build reads the set from its first object on; the helper reads it from its last object
 * back, and the two meet wherever their work makes them meet, so they finish together however the
 * cost of the set is spread (a build also fetches, checks and files every object, which the helper
 * does not). Each object is read once, by whichever thread claims it first, and the helper stops at
 * the first object the build claimed: every object before it is the build's.
 *
 * <p>The build still reads every object in the set's order and reports every problem in that order:
 * an object read ahead is read exactly as the build would read it, with its problems recorded apart
 * and replayed when the build reaches it.
 *
 * <p>At most {@link #HELPERS} helpers run at once in a process, whatever the number of builds and
 * validations at the same time: a build that finds none free reads its set on its own thread, as a
 * small set. A helper is a daemon thread that ends when the build has read the set (the build waits
 * for it), so none outlives its build.
 */
public final class ReadAhead {
  /** The smallest set worth a second thread; a thread costs less than parsing a hundred objects. */
  public static final int FROM_OBJECTS = 4_096;

  /**
   * How many helpers may run at once in the process: one per core beyond the first, at most four,
   * since builds that find every core busy gain nothing from another thread.
   */
  public static final int HELPERS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));

  private static final Semaphore FREE_HELPERS = new Semaphore(HELPERS);

  /** An object read ahead: its result ({@code null} when invalid) and problems. */
  private record Read(@Nullable Object result, SnapshotProblems.Recorded problems) {}

  /** A slot the build claimed: it reads that object itself. */
  private static final Object BUILD = new Object();

  /** A slot the helper claimed and is reading. */
  private static final Object READING = new Object();

  /** A slot the helper gave up on (it failed); the build reads that object itself. */
  private static final Object ABANDONED = new Object();

  /** A slot of an object the build reads without the helper, which it never asks for. */
  private static final Object NOT_READ = new Object();

  private static final ReadAhead NONE = new ReadAhead(List.of(), "");

  private final List<ConfigObject> objects;
  private final AtomicReferenceArray<Object> slots;
  private final String namespace;
  private volatile boolean finished;
  private @Nullable Thread helper;

  private ReadAhead(List<ConfigObject> objects, String namespace) {
    this.objects = objects;
    this.slots = new AtomicReferenceArray<>(objects.size());
    this.namespace = namespace;
  }

  /** Nothing read ahead: the build reads every object itself. */
  public static ReadAhead none() {
    return NONE;
  }

  /**
   * Starts reading {@code objects} from the end on a new thread when the set is large, the machine
   * has a second core and a helper is free; otherwise nothing is read ahead.
   */
  public static ReadAhead start(
      List<ConfigObject> objects, ChannelRegistry channels, String namespace) {
    if (objects.size() < FROM_OBJECTS
        || Runtime.getRuntime().availableProcessors() < 2
        || !FREE_HELPERS.tryAcquire()) {
      return NONE;
    }
    ReadAhead ahead = new ReadAhead(objects, namespace);
    Thread helper =
        new Thread(
            () -> {
              try {
                ahead.readFromTheEnd(channels);
              } finally {
                FREE_HELPERS.release();
              }
            },
            "nm4j-snapshot-read-ahead");
    helper.setDaemon(true);
    try {
      helper.start();
    } catch (OutOfMemoryError | RuntimeException e) {
      FREE_HELPERS.release();
      return NONE; // no thread to be had: the build reads the set on its own, as a small one
    }
    ahead.helper = helper;
    return ahead;
  }

  /**
   * The receiver, config or secret values at {@code index} of the set: read ahead, its problems
   * replayed into {@code problems}, or else read now by {@code readHere}.
   */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T read(
      int index, SnapshotProblems problems, Supplier<@Nullable T> readHere) {
    Object ahead = take(index);
    if (ahead instanceof Read read) {
      problems.replay(read.problems());
      return (T) read.result();
    }
    return readHere.get();
  }

  /**
   * Ends the helper once the build has read the set: nothing is left to read, and no thread of a
   * build outlives it.
   */
  public void finish() {
    Thread running = helper;
    if (running == null) {
      return;
    }
    finished = true;
    try {
      running.join();
    } catch (InterruptedException e) {
      // It stops after the object it is reading; the build goes on and keeps the interrupt.
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What the helper read for {@code index}, waiting for it when the helper is reading it; {@code
   * null} when the build claimed it first.
   */
  private @Nullable Object take(int index) {
    if (slots.length() == 0 || slots.compareAndSet(index, null, BUILD)) {
      return null;
    }
    Object read;
    int spins = 0;
    while ((read = slots.get(index)) == READING) {
      // One object takes microseconds to read: spin, and let the helper run when cores are few.
      if (++spins % 64 == 0) {
        Thread running = helper;
        if (running != null && !running.isAlive() && slots.get(index) == READING) {
          return null; // the helper died on this object: the build reads it and meets the failure
        }
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
    return read;
  }

  private void readFromTheEnd(ChannelRegistry registry) {
    SnapshotProblems found = new SnapshotProblems();
    SpecParser parser = new SpecParser(registry, namespace, found);
    for (int index = objects.size() - 1;
        index >= 0 && !finished && slots.compareAndSet(index, null, READING);
        index--) {
      ConfigObject o = objects.get(index);
      Object read = NOT_READ;
      try {
        int mark = found.mark();
        if (o.apiVersion().equals(ConfigObject.API_VERSION)) {
          ChannelProvider<?, ?> receiverChannel = registry.forReceiverKind(o.kind());
          if (receiverChannel != null) {
            read = new Read(parser.receiver(o, receiverChannel), found.since(mark));
          } else {
            ChannelProvider<?, ?> configChannel = registry.forConfigKind(o.kind());
            if (configChannel != null) {
              read = new Read(parser.config(o, configChannel), found.since(mark));
            }
          }
        } else if (o.apiVersion().equals("v1") && o.kind().equals(SecretReader.KIND)) {
          read = new Read(SecretReader.read(o, found), found.since(mark));
        }
      } catch (Throwable e) {
        // The build reads this object itself and meets the failure where it would have anyway.
        // Any throwable, a checked one a plugin throws undeclared included: a slot left claimed
        // would keep the build waiting for it.
        slots.set(index, ABANDONED);
        return;
      }
      slots.set(index, read);
    }
  }
}
