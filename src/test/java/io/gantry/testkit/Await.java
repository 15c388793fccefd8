package io.gantry.testkit;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting in tests: for a future, or until a condition holds (polling, with a deadline and a clear failure). */
public final class Await {
  private Await() {}

  public static <T> T result(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = probe.get();
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        // not there yet
      }
      TestNode.sleep(50);
    }
    throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what + "; last: " + last);
  }
}
