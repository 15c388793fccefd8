package io.gantry.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The worker's own threads: job handlers may block, so they never run on an actor dispatcher. */
final class JobThreads {
  private JobThreads() {}

  static ExecutorService fixed(String name, int threads) {
    return Executors.newFixedThreadPool(Math.max(1, threads), factory(name));
  }

  static ExecutorService cached(String name) {
    return Executors.newCachedThreadPool(factory(name));
  }

  private static ThreadFactory factory(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
