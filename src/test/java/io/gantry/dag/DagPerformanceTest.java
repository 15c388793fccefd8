package io.gantry.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A 10,000-job DAG is parsed and validated per submission: it must stay far below a request's budget. */
class DagPerformanceTest {

  private static final int JOBS = 10_000;
  private static final int LAYER_WIDTH = 100;

  @Test
  void tenThousandLayeredJobsParseAndValidateQuickly() throws Exception {
    String json = layeredDag();
    for (int warmUp = 0; warmUp < 10; warmUp++) {
      Dag.of(DagParser.parse(json));
    }
    long best = Long.MAX_VALUE;
    Dag dag = null;
    for (int run = 0; run < 5; run++) {
      long start = System.nanoTime();
      dag = Dag.of(DagParser.parse(json));
      best = Math.min(best, System.nanoTime() - start);
    }
    double bestMs = best / 1e6;
    System.out.printf("10,000-job layered DAG (%d KiB): parse + validate best of 5 = %.1f ms%n", json.length() / 1024, bestMs);
    assertEquals(JOBS, dag.size());
    DagGraphTest.assertOrdered(dag);
    // Generous so a loaded machine cannot make it flaky; typically a few tens of ms.
    assertTrue(bestMs < 1_000, "took " + bestMs + " ms");
  }

  /** Layers of 100 jobs, each depending on 3 distinct jobs of the layer above. */
  private static String layeredDag() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Random random = new Random(42);
    ObjectNode document = mapper.createObjectNode().put("workflowId", "perf");
    ArrayNode jobs = document.putArray("jobs");
    for (int i = 0; i < JOBS; i++) {
      ObjectNode job = jobs.addObject().put("id", "job-" + i).put("type", i % 2 == 0 ? "shell" : "noop");
      job.putObject("config").putArray("command").add("echo").add("job-" + i);
      job.put("priority", 1 + i % 10);
      int layerStart = (i / LAYER_WIDTH - 1) * LAYER_WIDTH;
      if (layerStart >= 0) {
        ArrayNode dependsOn = job.putArray("dependsOn");
        int first = random.nextInt(LAYER_WIDTH - 2);
        for (int k = 0; k < 3; k++) {
          dependsOn.add("job-" + (layerStart + first + k));
        }
      }
    }
    return mapper.writeValueAsString(document);
  }
}
