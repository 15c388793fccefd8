package io.gantry.protocol;

/**
 * Attempt ids are {@code <executionId>:<jobId>:<n>}: job ids never contain ':', execution ids may, so an id is
 * read from the right. Anyone holding an attempt id can thus reach its Execution without a lookup.
 */
public final class AttemptIds {
  private AttemptIds() {}

  public record Parsed(String executionId, String jobId, int number) {}

  public static String of(String executionId, String jobId, int number) {
    return executionId + ":" + jobId + ":" + number;
  }

  /** The parts of an attempt id, or null when it is not one. */
  public static Parsed parse(String attemptId) {
    if (attemptId == null) {
      return null;
    }
    int last = attemptId.lastIndexOf(':');
    int middle = last <= 0 ? -1 : attemptId.lastIndexOf(':', last - 1);
    if (middle <= 0) {
      return null;
    }
    try {
      int n = Integer.parseInt(attemptId.substring(last + 1));
      return new Parsed(attemptId.substring(0, middle), attemptId.substring(middle + 1, last), n);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
