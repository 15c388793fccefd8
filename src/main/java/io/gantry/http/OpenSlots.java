package io.gantry.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** How many long polls or event streams each key (a worker id, a client) holds open; thread-safe. */
final class OpenSlots {
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  /** A release (call it once the request is over; extra calls do nothing), or null when {@code key} holds max. */
  Runnable tryOpen(String key, int max) {
    AtomicInteger count = open.computeIfAbsent(key, k -> new AtomicInteger());
    if (count.incrementAndGet() > max) {
      release(key, count);
      return null;
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release(key, count);
      }
    };
  }

  int open(String key) {
    AtomicInteger count = open.get(key);
    return count == null ? 0 : count.get();
  }

  private void release(String key, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      open.remove(key, count);
    }
  }
}
