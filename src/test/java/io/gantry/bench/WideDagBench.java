package io.gantry.bench;

import io.gantry.dag.DagDocument;
import io.gantry.dag.DagParser;
import io.gantry.testkit.TestNode;

/**
 * The per-job cost inside one Execution: DAGs of N independent noop jobs (the shape a bulk queue submission takes
 * when its jobs share one Execution), one node with 50 slots, every state change persisted. Prints jobs/s and the
 * CPU and Redis commands per job. Run by bench/wide-dag-bench: [jobs per DAG] [DAGs].
 */
public final class WideDagBench {
  public static void main(String[] args) throws Exception {
    int width = Integer.parseInt(args.length > 0 ? args[0] : "1000");
    int dags = Integer.parseInt(args.length > 1 ? args[1] : "20");
    String conf = "gantry.worker.max-concurrency = 50\npekko.loglevel = ERROR\n" + System.getProperty("bench.conf", "");
    try (TestNode node = TestNode.start(conf)) {
      CoreBench.throughputQuiet(node, Math.max(2, dags / 2), i -> wide(width, i));
      CoreBench.throughput(node, "wide-dags-of-" + width, dags, i -> wide(width, i));
    }
  }

  static DagDocument wide(int width, int seed) {
    StringBuilder json = new StringBuilder("{\"workflowId\":\"bench-wide\",\"jobs\":[");
    for (int j = 0; j < width; j++) {
      json.append(j == 0 ? "" : ",").append("{\"id\":\"j").append(j)
          .append("\",\"type\":\"noop\",\"config\":{\"output\":").append(seed).append("}}");
    }
    return DagParser.parse(json.append("]}").toString());
  }
}
