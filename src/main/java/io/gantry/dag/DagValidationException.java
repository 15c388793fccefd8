package io.gantry.dag;

import java.util.ArrayList;
import java.util.List;

/**
 * A DAG document that cannot run: {@code code} is "INVALID_JSON" for unparseable input and
 * "INVALID_DAG" otherwise; {@code details} holds one entry per problem, naming the job and field.
 */
public final class DagValidationException extends RuntimeException {

  public static final String INVALID_DAG = "INVALID_DAG";
  public static final String INVALID_JSON = "INVALID_JSON";

  private final String code;
  private final List<String> details;

  public DagValidationException(String code, String message, List<String> details) {
    super(message, null, false, false);
    this.code = code;
    this.details = List.copyOf(details);
  }

  /** Details beyond this many are summed up in one last entry, to keep a 400 answer readable. */
  static final int MAX_DETAILS = 100;

  /** An INVALID_DAG exception whose message sums up {@code problems} (at least one). */
  static DagValidationException invalidDag(List<String> problems) {
    String first = problems.get(0);
    int more = problems.size() - 1;
    String message =
        more == 0
            ? "Invalid DAG: " + first + "."
            : "Invalid DAG: " + first + " (and " + more + " more problem" + (more == 1 ? "" : "s") + ", see details).";
    List<String> details = problems;
    if (problems.size() > MAX_DETAILS) {
      details = new ArrayList<>(problems.subList(0, MAX_DETAILS));
      details.add("... and " + (problems.size() - MAX_DETAILS) + " more problems");
    }
    return new DagValidationException(INVALID_DAG, message, details);
  }

  public String code() {
    return code;
  }

  public List<String> details() {
    return details;
  }
}
