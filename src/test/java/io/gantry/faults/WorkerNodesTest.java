package io.gantry.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.testkit.TestNode;
import io.gantry.testkit.TestRedisUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7, scenarios (8) and (6) on one cluster of mixed worker nodes: n1 (orchestrator, api, worker with cpu),
 * n2 (worker: cpu, gpu), n3 (worker: cpu, high-memory), each a JVM of its own.
 *
 * <p>(8) Capability selection: every job runs on a worker that has all its required capabilities, and a job that
 * needs a combination no worker has waits, saying so ({@code blockedBy: no-capable-worker}).
 * (6) Checkpoints: a gpu job that reported checkpoints through {@code ::progress} lines has its node SIGKILLed; a
 * replacement gpu node joins and the next attempt starts from the last checkpoint (GANTRY_INPUT's lastCheckpoint).
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerNodesTest {
  private static final Duration READY = Duration.ofSeconds(90);
  private static final List<List<String>> CAPABILITIES = List.of(List.of("cpu"), List.of("cpu", "gpu"),
      List.of("cpu", "high-memory"));
  private static Path dir;
  private static final List<NodeJvm> nodes = new ArrayList<>();
  private static String prefix;

  @BeforeAll
  static void cluster() throws Exception {
    dir = Files.createTempDirectory("gantry-workers");
    prefix = "workers" + UUID.randomUUID().toString().substring(0, 8) + ":";
    List<Integer> ports = List.of(TestNode.freePort(), TestNode.freePort(), TestNode.freePort());
    List<String> seeds = List.of("127.0.0.1:" + ports.get(0));
    for (int i = 0; i < 3; i++) {
      String roles = i == 0 ? "[orchestrator, api, worker]" : "[worker]";
      nodes.add(new NodeJvm(dir, new NodeJvm.Spec("n" + (i + 1), TestRedisUrl.get(), prefix, "127.0.0.1",
          ports.get(i), seeds, "127.0.0.1", TestNode.freePort(), null, "gantry.node.roles = " + roles
          + "\ngantry.worker.capabilities = [" + String.join(", ", CAPABILITIES.get(i)) + "]")));
    }
    nodes.get(0).start().awaitReady(READY);
    nodes.get(1).start();
    nodes.get(2).start();
    Runs.awaitClusterWorkers(nodes.get(0), 3, READY);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (NodeJvm node : nodes) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void everyJobRunsOnAWorkerWithItsCapabilities() throws Exception {
    NodeJvm api = nodes.get(0);
    Map<String, Set<String>> workerCapabilities = new HashMap<>();
    for (JsonNode w : Runs.JSON.readTree(api.get("/workers/list").body())) {
      Set<String> caps = new HashSet<>();
      w.path("capabilities").forEach(c -> caps.add(c.asText()));
      workerCapabilities.put(w.path("workerId").asText(), caps);
    }
    Map<String, List<String>> required = new HashMap<>();
    List<String> jobs = new ArrayList<>();
    List<List<String>> kinds = List.of(List.of("gpu"), List.of("high-memory"), List.of("cpu"), List.of());
    for (int i = 0; i < 12; i++) {
      List<String> needs = kinds.get(i % kinds.size());
      String id = "j" + i;
      required.put(id, needs);
      ObjectNode job = Runs.JSON.createObjectNode().put("id", id).put("type", "sleep");
      job.putObject("config").put("ms", 1500);
      needs.forEach(job.putArray("requiredCapabilities")::add);
      jobs.add(job.toString());
    }
    Runs.submit(api, Runs.dag("capabilities", "mixed", jobs.toArray(String[]::new)), Duration.ofSeconds(20));
    Runs.submit(api, Runs.dag("capabilities", "nobody-can", "{\"id\": \"both\", \"type\": \"noop\","
        + " \"requiredCapabilities\": [\"gpu\", \"high-memory\"]}"), Duration.ofSeconds(20));

    JsonNode done = Runs.awaitAll(api, List.of("mixed"), Runs::finished, Duration.ofSeconds(60)).get("mixed");
    assertEquals("completed", done.path("status").asText(), done.toString());
    Set<String> usedWorkers = new HashSet<>();
    for (String id : required.keySet()) {
      String worker = done.path("jobResults").path(id).path("workerId").asText();
      usedWorkers.add(worker);
      Set<String> has = workerCapabilities.getOrDefault(worker, Set.of());
      assertTrue(has.containsAll(required.get(id)),
          id + " needs " + required.get(id) + " but ran on " + worker + " with " + has + "; workers " + workerCapabilities);
    }
    assertTrue(usedWorkers.size() >= 2, "jobs spread over the capable workers: " + usedWorkers);

    JsonNode waiting = Runs.JSON.readTree(api.get("/execute/nobody-can/jobs/both").body());
    assertEquals("queued", waiting.path("status").asText(), waiting.toString());
    assertEquals("no-capable-worker", waiting.path("blockedBy").asText(), waiting.toString());
  }

  /** Counts steps 1..10, one a second, reporting each as a checkpoint; starts after the last checkpoint it is given. */
  private static final String CHECKPOINTED = String.join("\n",
      "import json, os, time",
      "given = json.load(open(os.environ['GANTRY_INPUT']))",
      "start = (given.get('lastCheckpoint') or {}).get('step', 0)",
      "for step in range(start + 1, 11):",
      "    time.sleep(1)",
      "    print('::progress ' + json.dumps({'percent': step * 10, 'checkpoint': {'step': step}}), flush=True)",
      "json.dump({'resumedFrom': start}, open(os.environ['GANTRY_OUTPUT'], 'w'))");

  @Test
  @Order(2)
  void aCheckpointedJobResumesFromItsCheckpointAfterItsNodeIsKilled() throws Exception {
    NodeJvm api = nodes.get(0);
    NodeJvm gpuNode = nodes.get(1);
    ObjectNode job = Runs.JSON.createObjectNode().put("id", "train").put("type", "shell");
    job.putArray("requiredCapabilities").add("gpu");
    job.putObject("config").putArray("command").add("python3").add("-c").add(CHECKPOINTED);
    Runs.submit(api, Runs.dag("checkpoint", "resumes", job.toString()), Duration.ofSeconds(20));

    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    int reached = 0;
    while (reached < 3 && System.nanoTime() < deadline) {
      JsonNode detail = Runs.JSON.readTree(api.get("/execute/resumes/jobs/train").body());
      reached = detail.path("lastCheckpoint").path("step").asInt();
      Thread.sleep(200);
    }
    assertTrue(reached >= 3, "the job reported no checkpoint of step 3 within 40 s");

    gpuNode.kill();
    long killedAt = System.nanoTime();
    gpuNode.start();
    JsonNode done = Runs.awaitAll(api, List.of("resumes"), Runs::finished, Duration.ofSeconds(90)).get("resumes");
    System.out.println("checkpoint: resumed and finished " + (System.nanoTime() - killedAt) / 1_000_000
        + " ms after the kill: " + done.path("jobResults").path("train").path("output"));
    assertEquals("completed", done.path("status").asText(), done + "\n" + api.logLines(20, "WARN", "ERROR"));
    JsonNode train = done.path("jobs").path("train");
    assertTrue(train.path("attempts").asInt() >= 2, "the killed attempt ran again: " + train);
    int resumedFrom = done.path("jobResults").path("train").path("output").path("resumedFrom").asInt();
    assertTrue(resumedFrom >= reached, "resumed from step " + resumedFrom + ", the checkpoint was " + reached);
    try (JournalAudit audit = new JournalAudit(TestRedisUrl.get(), prefix)) {
      List<String> problems = audit.problems("resumes", Set.of("train"));
      assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
  }
}
