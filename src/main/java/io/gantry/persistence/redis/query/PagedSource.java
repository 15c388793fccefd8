package io.gantry.persistence.redis.query;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A stream of pages fetched one after another. A live stream polls again after the refresh interval
 * when it has caught up; a current stream completes there.
 */
final class PagedSource {
  private final ActorSystem system;
  private final Duration refreshInterval;

  PagedSource(ActorSystem system, Duration refreshInterval) {
    this.system = system;
    this.refreshInterval = refreshInterval;
  }

  private record Cursor<S>(S position, boolean stop) {}

  <S, T> Source<T, NotUsed> pages(S start, boolean live, Function<S, CompletionStage<Page<S, T>>> fetch) {
    return Source.<Cursor<S>, List<T>>unfoldAsync(
            new Cursor<>(start, false),
            cursor ->
                cursor.stop()
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : fetch.apply(cursor.position()).thenCompose(page -> next(page, live)))
        .mapConcat(items -> items);
  }

  private <S, T> CompletionStage<Optional<Pair<Cursor<S>, List<T>>>> next(Page<S, T> page, boolean live) {
    boolean stop = page.kind() == Page.Kind.FINISHED || (page.kind() == Page.Kind.CAUGHT_UP && !live);
    Optional<Pair<Cursor<S>, List<T>>> emit = Optional.of(Pair.create(new Cursor<>(page.next(), stop), page.items()));
    if (live && page.kind() == Page.Kind.CAUGHT_UP && page.items().isEmpty()) {
      return Patterns.after(refreshInterval, system, () -> CompletableFuture.completedFuture(emit));
    }
    return CompletableFuture.completedFuture(emit);
  }
}
