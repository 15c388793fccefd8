package io.gantry.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Test helpers: documents written with single quotes, and assertions on rejections. */
final class Documents {

  private Documents() {}

  /** JSON from a string that uses ' for " so tests stay readable. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** A document with the given jobs (single-quoted JSON objects) under workflow "w". */
  static String withJobs(String... jobs) {
    return json("{'workflowId':'w','jobs':[" + String.join(",", jobs) + "]}");
  }

  static Dag dag(String json) {
    return Dag.of(DagParser.parse(json));
  }

  /** Parses and validates, expecting rejection; returns the exception. */
  static DagValidationException rejected(String json) {
    return assertThrows(DagValidationException.class, () -> dag(json));
  }

  /** Expects an INVALID_DAG rejection whose details contain each of {@code expected} exactly. */
  static DagValidationException assertRejected(String json, String... expected) {
    DagValidationException e = rejected(json);
    assertEquals(DagValidationException.INVALID_DAG, e.code());
    for (String detail : expected) {
      assertTrue(e.details().contains(detail), () -> "expected detail <" + detail + "> in " + e.details());
    }
    return e;
  }

  /** Expects a rejection with a detail containing every fragment. */
  static DagValidationException assertRejectedMentioning(String json, String... fragments) {
    DagValidationException e = rejected(json);
    List<String> details = e.details();
    assertTrue(
        details.stream().anyMatch(d -> List.of(fragments).stream().allMatch(d::contains)),
        () -> "expected a detail mentioning " + List.of(fragments) + " in " + details);
    return e;
  }
}
