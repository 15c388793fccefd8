package io.gantry.persistence.redis.query;

import java.util.List;

/** One Redis round trip of a query: the items, where to go on from, and whether more may follow. */
record Page<S, T>(S next, List<T> items, Kind kind) {

  enum Kind {
    /** More items may be fetched right away. */
    MORE,
    /** Nothing more now: a current query completes, a live query asks again after the refresh interval. */
    CAUGHT_UP,
    /** Nothing more ever, live or not. */
    FINISHED
  }

  /** A page of {@code items} made from {@code fetched} Redis entries; fewer than asked means caught up. */
  static <S, T> Page<S, T> of(S next, List<T> items, int fetched, int asked) {
    return new Page<>(next, items, fetched < asked ? Kind.CAUGHT_UP : Kind.MORE);
  }

  static <S, T> Page<S, T> finished(S next, List<T> items) {
    return new Page<>(next, items, Kind.FINISHED);
  }
}
