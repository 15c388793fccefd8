package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.execution.ExecutionIndex;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobPage;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.QueueJobPage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /queue/jobs}: jobs, newest execution first, a shared execution's jobs in the bulk's order. The index
 * lists queue executions; a single-job one is one job, a bulk's shared one is asked for its jobs of the wanted
 * status. The cursor is the index's, with {@code ~k} when the page ended inside a shared execution (its jobs from
 * position {@code k} come next).
 */
final class QueueJobListing {
  /** Index pages read for one answer at most; a filter that matches little answers fewer items and a cursor. */
  private static final int MAX_ROUNDS = 20;

  private final Gantry gantry;
  private final ExecutionIndex index;

  QueueJobListing(Gantry gantry, ExecutionIndex index) {
    this.gantry = gantry;
    this.index = index;
  }

  private record Position(String indexCursor, String executionId, int from) {
    static Position parse(String cursor) {
      if (cursor == null || cursor.isBlank()) {
        return new Position(null, null, 0);
      }
      int tilde = cursor.lastIndexOf('~');
      if (tilde < 0) {
        return new Position(cursor, null, 0);
      }
      String indexCursor = cursor.substring(0, tilde);
      int sep = indexCursor.indexOf('_');
      try {
        int from = Integer.parseInt(cursor.substring(tilde + 1));
        if (sep < 0 || from < 0) {
          throw new NumberFormatException();
        }
        return new Position(indexCursor, indexCursor.substring(sep + 1), from);
      } catch (NumberFormatException e) {
        throw ApiException.of(ErrorCode.BAD_REQUEST, "cursor '" + cursor + "' is not one this API returned");
      }
    }
  }

  CompletionStage<QueueRoutes.QueueJobList> list(JobStatus wanted, int limit, String cursor) {
    Position at = Position.parse(cursor);
    List<QueueJob> items = new ArrayList<>();
    CompletionStage<String> next = at.executionId() == null
        ? CompletableFuture.completedFuture(null)
        : shared(at.executionId(), at.indexCursor(), null, wanted, at.from(), limit, items);
    return next.thenCompose(partial -> partial != null || items.size() >= limit
        ? CompletableFuture.completedFuture(new QueueRoutes.QueueJobList(items,
            partial != null ? partial : at.indexCursor()))
        : read(wanted, limit, at.indexCursor(), items, 0));
  }

  /** Reads index pages from {@code cursor} until {@code limit} jobs are found, the index ends, or enough rounds. */
  private CompletionStage<QueueRoutes.QueueJobList> read(JobStatus wanted, int limit, String cursor,
      List<QueueJob> items, int round) {
    int want = limit - items.size();
    return index.listQueueJobs(singleStatuses(wanted), sharedStatuses(wanted), want, cursor)
        .thenCompose(page -> entries(page.items(), 0, wanted, limit, items).thenCompose(stop -> {
          if (stop != null) {
            return CompletableFuture.completedFuture(new QueueRoutes.QueueJobList(items, stop));
          }
          String after = page.nextCursor();
          if (after == null || items.size() >= limit || round + 1 >= MAX_ROUNDS) {
            return CompletableFuture.completedFuture(new QueueRoutes.QueueJobList(items, after));
          }
          return read(wanted, limit, after, items, round + 1);
        }));
  }

  /**
   * Adds the jobs of {@code entries} from {@code i} on; answers null when all of them were read, else the cursor to
   * read on from (after the last entry read, or inside a shared execution). Single-job executions are asked
   * together, shared ones in turn.
   */
  private CompletionStage<String> entries(List<QueueJobPage.Entry> entries, int i, JobStatus wanted, int limit,
      List<QueueJob> items) {
    if (i >= entries.size()) {
      return CompletableFuture.completedFuture(null);
    }
    if (items.size() >= limit) {
      return CompletableFuture.completedFuture(entries.get(i - 1).cursor());
    }
    QueueJobPage.Entry e = entries.get(i);
    if (e.shared()) {
      return shared(e.executionId(), e.cursor(), e.createdAt(), wanted, 0, limit, items)
          .thenCompose(partial -> partial != null ? CompletableFuture.completedFuture(partial)
              : entries(entries, i + 1, wanted, limit, items));
    }
    int end = i;
    while (end < entries.size() && !entries.get(end).shared()) {
      end++;
    }
    List<CompletableFuture<QueueJob>> singles = new ArrayList<>();
    for (QueueJobPage.Entry single : entries.subList(i, end)) {
      singles.add(gantry.job(single.executionId(), single.jobId())
          .thenApply(d -> QueueJob.of(d, single.createdAt()))
          .exceptionally(error -> null) // cleaned meanwhile, or not answering: left out of this page
          .toCompletableFuture());
    }
    int resume = end;
    return CompletableFuture.allOf(singles.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      for (CompletableFuture<QueueJob> f : singles) {
        QueueJob j = f.join();
        if (j != null && (wanted == null || j.status() == wanted) && items.size() < limit) {
          items.add(j);
        }
      }
      return entries(entries, resume, wanted, limit, items);
    });
  }

  /** Adds a shared execution's jobs from {@code from}; answers its {@code cursor~k} when more of them are left. */
  private CompletionStage<String> shared(String executionId, String cursor, Long createdAt, JobStatus wanted,
      int from, int limit, List<QueueJob> items) {
    int want = limit - items.size();
    return gantry.jobs(executionId, wanted, from, want)
        .thenApply(page -> {
          page.items().forEach(d -> items.add(QueueJob.of(d, createdAt != null ? createdAt : page.createdAt())));
          return page.next() < 0 ? null : cursor + "~" + page.next();
        })
        .exceptionally(error -> null); // cleaned meanwhile, or not answering: left out
  }

  /** A single-job execution's status follows its job's, so the index filters on it. */
  private static Set<ExecutionStatus> singleStatuses(JobStatus status) {
    if (status == null) {
      return Set.of();
    }
    return switch (status) {
      case COMPLETED -> EnumSet.of(ExecutionStatus.COMPLETED);
      case FAILED -> EnumSet.of(ExecutionStatus.FAILED);
      case CANCELLED -> EnumSet.of(ExecutionStatus.CANCELLED);
      case SKIPPED -> EnumSet.of(ExecutionStatus.FAILED, ExecutionStatus.CANCELLED);
      default -> EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING, ExecutionStatus.PAUSED);
    };
  }

  /** A shared execution holds unsettled jobs only while unfinished; settled ones in any status. */
  private static Set<ExecutionStatus> sharedStatuses(JobStatus status) {
    if (status == null || status.settled()) {
      return Set.of();
    }
    return EnumSet.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING, ExecutionStatus.PAUSED);
  }
}
