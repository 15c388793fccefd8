package io.gantry;

import io.gantry.execution.ExecutionIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The index entries of single submits, many per Redis call (group commit): a submit that comes while a write is in
 * flight goes with the next one, together with every other that came meanwhile; alone, it is written at once. Under
 * load (64 clients submitting) one script call records tens of executions instead of one each, and no submit waits
 * longer than the write before it.
 */
final class GroupedIndexWrites {
  /** Entries per call at most, so that one script stays short. */
  private static final int MAX_PER_CALL = 500;

  private record Pending(ExecutionIndex.Submission submission, CompletableFuture<Void> done) {}

  private final ExecutionIndex index;
  private List<Pending> waiting = new ArrayList<>();
  private boolean writing;

  GroupedIndexWrites(ExecutionIndex index) {
    this.index = index;
  }

  /** As {@link ExecutionIndex#recordSubmitted}, at the time its group is written. */
  CompletionStage<Void> record(ExecutionIndex.Submission submission) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    List<Pending> now;
    synchronized (this) {
      waiting.add(new Pending(submission, done));
      if (writing) {
        return done;
      }
      writing = true;
      now = takeWaiting();
    }
    write(now);
    return done;
  }

  private void write(List<Pending> group) {
    List<ExecutionIndex.Submission> entries = new ArrayList<>(group.size());
    group.forEach(p -> entries.add(p.submission()));
    CompletionStage<Void> written;
    try {
      written = index.recordSubmittedAll(entries, System.currentTimeMillis());
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete((v, error) -> {
      List<Pending> next;
      synchronized (this) {
        next = waiting.isEmpty() ? null : takeWaiting();
        writing = next != null;
      }
      // The next group goes out before this one's submitters carry on with their asks.
      if (next != null) {
        write(next);
      }
      for (Pending p : group) {
        if (error != null) {
          p.done().completeExceptionally(error);
        } else {
          p.done().complete(null);
        }
      }
    });
  }

  /** Up to {@link #MAX_PER_CALL} of the waiting entries, oldest first; the caller holds the lock. */
  private List<Pending> takeWaiting() {
    if (waiting.size() <= MAX_PER_CALL) {
      List<Pending> all = waiting;
      waiting = new ArrayList<>();
      return all;
    }
    List<Pending> first = new ArrayList<>(waiting.subList(0, MAX_PER_CALL));
    waiting = new ArrayList<>(waiting.subList(MAX_PER_CALL, waiting.size()));
    return first;
  }
}
