package io.gantry.internal;

import java.security.SecureRandom;

/** Internal. New execution ids: time-ordered and unique, a base-36 millisecond clock and 8 random characters. */
public final class ExecutionIds {
  /** Executions submitted as DAGs. */
  public static final String EXECUTION = "ex-";
  /** Single jobs submitted through the queue API, so they are recognisable. */
  public static final String QUEUE_JOB = "q-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ExecutionIds() {}

  /** {@code kind} is {@link #EXECUTION} or {@link #QUEUE_JOB}. */
  public static String next(String kind) {
    StringBuilder sb = new StringBuilder(kind).append(Long.toString(System.currentTimeMillis(), 36)).append('-');
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return sb.toString();
  }
}
