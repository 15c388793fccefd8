package io.gantry.cli;

/** Server-Sent Events bodies for {@link FakeGantry}, written as a node writes them (data, event, id; heartbeats). */
final class FakeEvents {
  private FakeEvents() {}

  static String sse(String... events) {
    return ":\n\n" + String.join("", events);
  }

  /** {@code fields}: more JSON members of the data, e.g. {@code "workerId":"w1"}. */
  static String job(String type, long seq, String jobId, long time, String fields) {
    return event(type, seq, "{\"executionId\":\"e1\",\"jobId\":\"" + jobId + "\",\"attemptId\":\"e1:" + jobId
        + ":1\",\"time\":" + time + (fields.isEmpty() ? "" : "," + fields) + "}");
  }

  static String execution(String type, long seq, long time) {
    return event(type, seq, "{\"executionId\":\"e1\",\"jobId\":null,\"attemptId\":null,\"time\":" + time + "}");
  }

  static String event(String type, long seq, String data) {
    return "data:" + data + "\nevent:" + type + "\nid:" + seq + "\n\n";
  }
}
