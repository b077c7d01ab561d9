package io.nm4j.core.journal;

import io.nm4j.spi.ObjectRef;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A journal that keeps nothing beyond the process: no durability. Accepted alerts not yet delivered
 * are lost if the process dies; use {@link FileJournal} where that matters. It only counts what is
 * unfinished, for the journal-lag figure.
 */
public final class InMemoryJournal implements Journal {
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap.KeySetView<Long, Boolean> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  @Override
  public CompletableFuture<Long> append(byte[] batch) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("journal closed"));
    }
    long id = ids.incrementAndGet();
    open.add(id);
    return CompletableFuture.completedFuture(id);
  }

  @Override
  public void completed(long id, ObjectRef receiver) {
    // nothing to remember, and so no name to build: an in-memory journal never recovers
  }

  @Override
  public void finished(long id) {
    open.remove(id);
  }

  @Override
  public List<Pending> pending() {
    return List.of();
  }

  @Override
  public List<String> repairs() {
    return List.of();
  }

  @Override
  public long unfinished() {
    return open.size();
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "in-memory journal (not durable)";
  }
}
