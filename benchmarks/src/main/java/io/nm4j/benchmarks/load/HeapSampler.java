package io.nm4j.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples {@link MemoryMXBean#getHeapMemoryUsage()} every few milliseconds on a daemon thread and
 * keeps the largest "used" value since the last {@link #reset()}.
 */
final class HeapSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong max = new AtomicLong();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;

  HeapSampler(long periodMillis) {
    thread =
        new Thread(
            () -> {
              try {
                do {
                  sample();
                } while (!stop.await(periodMillis, TimeUnit.MILLISECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    long used = memory.getHeapMemoryUsage().getUsed();
    max.accumulateAndGet(used, Math::max);
  }

  /** The largest heap use sampled since the last reset, in bytes. */
  long maxUsed() {
    sample();
    return max.get();
  }

  /** The heap's limit ({@code -Xmx}), in bytes, or -1 when undefined. */
  long limit() {
    return memory.getHeapMemoryUsage().getMax();
  }

  void reset() {
    max.set(memory.getHeapMemoryUsage().getUsed());
  }

  @Override
  public void close() throws InterruptedException {
    stop.countDown();
    thread.join(1000);
  }
}
