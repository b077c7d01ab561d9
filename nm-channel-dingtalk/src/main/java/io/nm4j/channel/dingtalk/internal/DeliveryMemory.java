package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What earlier attempts of a notification achieved, so that a retry resends only what did not
 * arrive: the parts each target already took, and the targets that failed for good. The dispatcher
 * retries a notification whole; without this memory a config with a robot and a group chat would
 * post twice to the one that had succeeded.
 *
 * <p>Entries are kept by notification ID, expire {@code ttl} after they were made (by the clock)
 * and the oldest are dropped beyond {@code maxNotifications}. An entry is forgotten as soon as its
 * notification needs no retry.
 */
public final class DeliveryMemory {
  private final Clock clock;
  private final Duration ttl;
  private final int maxNotifications;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  private static final class Entry {
    final Instant created;
    final Set<String> parts = new HashSet<>();
    final Map<String, SendResult.Failed> permanent = new HashMap<>();

    Entry(Instant created) {
      this.created = created;
    }
  }

  public DeliveryMemory(Clock clock, Duration ttl, int maxNotifications) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxNotifications = maxNotifications;
  }

  private static String part(String target, int part, int parts) {
    return target + "#" + part + "/" + parts;
  }

  public synchronized boolean partDelivered(String id, String target, int part, int parts) {
    Entry e = live(id);
    return e != null && e.parts.contains(part(target, part, parts));
  }

  public synchronized void recordPart(String id, String target, int part, int parts) {
    entry(id).parts.add(part(target, part, parts));
  }

  /** The permanent failure a target had on an earlier attempt, if any. */
  public synchronized SendResult.@Nullable Failed permanentFailure(String id, String target) {
    Entry e = live(id);
    return e == null ? null : e.permanent.get(target);
  }

  public synchronized void recordPermanent(String id, String target, SendResult.Failed failure) {
    entry(id).permanent.put(target, failure);
  }

  public synchronized void forget(String id) {
    entries.remove(id);
  }

  public synchronized int size() {
    purge(clock.instant());
    return entries.size();
  }

  private @Nullable Entry live(String id) {
    purge(clock.instant());
    return entries.get(id);
  }

  private Entry entry(String id) {
    Instant now = clock.instant();
    purge(now);
    Entry e = entries.get(id);
    if (e == null) {
      e = new Entry(now);
      entries.put(id, e);
      while (entries.size() > maxNotifications) {
        Iterator<String> oldest = entries.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    return e;
  }

  /** Entries are in creation order and share one ttl, so the expired ones are at the head. */
  private void purge(Instant now) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (now.isBefore(e.created.plus(ttl))) {
        return;
      }
      it.remove();
    }
  }
}
