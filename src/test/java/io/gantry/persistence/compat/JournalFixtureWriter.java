package io.gantry.persistence.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.dag.DagParser;
import io.gantry.execution.Execution;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.testkit.Await;
import io.gantry.testkit.ProbeWorker;
import io.gantry.testkit.TestNode;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;

/**
 * Writes the old-journal fixture that {@link OldJournalReplayTest} replays. Not a test: run it by hand, once, with
 * the code whose stored format is to be kept (see src/test/resources/compat/README.md):
 * drives a real node through the actor API with workers played by the test, so that the journals together hold
 * every ExecutionEvent type and a snapshot, then dumps the raw Redis keys and the end state of every execution.
 */
public final class JournalFixtureWriter {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final TestNode node;
  private final Map<String, String> executions = new LinkedHashMap<>();

  private JournalFixtureWriter(TestNode node) {
    this.node = node;
  }

  /** args[0]: the directory to write journal-v1.json and journal-v1-expected.json to; args[1]: the git commit. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/compat");
    String commit = args.length > 1 ? args[1] : "unknown";
    ObjectNode expected = NODES.objectNode();
    String prefix;
    try (TestNode node = TestNode.start("gantry.node.roles = [orchestrator]\npekko.cluster.roles = [orchestrator]")) {
      prefix = node.prefix();
      JournalFixtureWriter w = new JournalFixtureWriter(node);
      w.everyRunEvent();
      w.timedOutSkippedThenRetried();
      w.failedForGood();
      w.cancelled();
      w.crossesASnapshot();
      ArrayNode list = expected.putArray("executions");
      for (var e : w.executions.entrySet()) {
        list.add(w.endState(e.getKey(), e.getValue()));
      }
    } // the node is stopped: nothing writes under the prefix any more
    List<String> volatileKeys = new ArrayList<>();
    ObjectNode keys;
    RedisClient client = RedisClient.create(TestRedisUrl.get());
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      keys = RedisDump.dump(c.sync(), prefix, volatileKeys);
      RedisDump.deleteAll(c.sync(), prefix);
    } finally {
      client.shutdown();
    }
    ObjectNode fixture = NODES.objectNode();
    fixture.put("about", "Raw Redis keys (relative to the key prefix; values base64) written by Gantry before the "
        + "issue-8 refactor. Replayed by OldJournalReplayTest; never regenerate it to make a test pass.");
    fixture.put("writtenAt", Instant.now().toString());
    fixture.put("gitCommit", commit);
    fixture.putPOJO("skippedVolatileKeys", volatileKeys);
    StoredRecords stored = StoredRecords.of(keys);
    fixture.set("storedClasses", storedClasses(stored));
    fixture.set("keys", keys);
    for (JsonNode e : expected.get("executions")) {
      addStoredHistory((ObjectNode) e, stored);
    }
    checkCoverage(expected, stored);
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("journal-v1.json").toFile(), fixture);
    JSON.writeValue(dir.resolve("journal-v1-expected.json").toFile(), expected);
    System.out.println("wrote " + dir + ": " + keys.size() + " keys, " + stored.events().size() + " events, "
        + stored.snapshots().size() + " snapshots; skipped volatile keys " + volatileKeys);
  }

  /** Submitted, queued, started, progress, failed with a retry, succeeded, paused, resumed, lost, checkpoint. */
  private void everyRunEvent() {
    String id = submit("every-run-event", """
        {"workflowId": "compat-run", "metadata": {"owner": "compat", "tags": ["v1"]}, "jobs": [
          {"id": "flaky", "type": "noop", "maxRetries": 1,
           "backoff": {"initialMs": 200, "multiplier": 2.0, "maxMs": 1000}, "config": {"k": [1, 2]}},
          {"id": "moved", "type": "noop", "dependsOn": ["flaky"], "priority": 5},
          {"id": "last", "type": "noop", "dependsOn": ["moved"]}
        ]}""");
    ProbeWorker first = ProbeWorker.register(node, "compat-w1", 2);
    JobOffer flaky1 = first.nextJob();
    node.gantry().execution(id).tell(new ExecutionProtocol.ReportProgress("flaky", flaky1.attemptId(), 40.0, "warming up",
        NODES.objectNode().put("offset", 7), null));
    awaitJob(id, "flaky", j -> j.progress() != null);
    finish(first, flaky1, false, null, "boom: disk full", "line 1\nline 2 é");
    JobOffer flaky2 = first.nextJob();
    awaitJob(id, "flaky", j -> j.status() == JobStatus.RUNNING);
    Await.result(node.gantry().pause(id));
    Await.result(node.gantry().resume(id));
    finish(first, flaky2, true, NODES.objectNode().put("rows", 3).set("names",
        NODES.arrayNode().add("α").add("β")), null, "done\n");
    JobOffer moved1 = first.nextJob();
    ProbeWorker second = ProbeWorker.register(node, "compat-w2", 2);
    first.deregister(); // the attempt on it is lost, and runs again on the second worker
    JobOffer moved2 = second.nextJob();
    if (moved2.attemptId().equals(moved1.attemptId())) {
      throw new IllegalStateException("the lost attempt was not replaced");
    }
    Await.result(node.gantry().linkCheckpoint(id, "ckpt-compat-1"));
    finish(second, moved2, true, NODES.objectNode().put("moved", true), null, null);
    finish(second, second.nextJob(), true, NODES.objectNode().put("n", 1.5), null, "last logs");
    awaitFinished(id, ExecutionStatus.COMPLETED);
    second.deregister();
  }

  /** A timeout fails a job for good and skips its dependant; a retry of the failed execution completes it. */
  private void timedOutSkippedThenRetried() {
    String id = submit("timed-out-skipped-retried", """
        {"workflowId": "compat-retry", "jobs": [
          {"id": "slow", "type": "noop", "maxRetries": 0, "timeoutMs": 1000},
          {"id": "after", "type": "noop", "dependsOn": ["slow"]}
        ]}""");
    ProbeWorker w = ProbeWorker.register(node, "compat-w3", 2);
    JobOffer slow = w.nextJob(); // never reported finished: the execution times it out
    w.expectCancel(slow.attemptId());
    node.gantry().registry("default").tell(new RegistryProtocol.AttemptEnded(w.id(), slow.attemptId()));
    awaitFinished(id, ExecutionStatus.FAILED);
    Await.result(node.gantry().retry(id));
    finish(w, w.nextJob(), true, NODES.objectNode().put("second", "try"), null, null);
    finish(w, w.nextJob(), true, null, null, null);
    awaitFinished(id, ExecutionStatus.COMPLETED);
    w.deregister();
  }

  /** A job fails for good (no timeout); its dependant is skipped and the execution ends FAILED. */
  private void failedForGood() {
    String id = submit("failed-for-good", """
        {"workflowId": "compat-failed", "jobs": [
          {"id": "ok", "type": "noop"},
          {"id": "bad", "type": "noop", "maxRetries": 0},
          {"id": "skipped", "type": "noop", "dependsOn": ["bad", "ok"]}
        ]}""");
    ProbeWorker w = ProbeWorker.register(node, "compat-w4", 2);
    for (int i = 0; i < 2; i++) {
      JobOffer o = w.nextJob();
      boolean ok = o.jobId().equals("ok");
      finish(w, o, ok, ok ? NODES.objectNode().put("fine", true) : null, ok ? null : "exit 3", "tail");
    }
    awaitFinished(id, ExecutionStatus.FAILED);
    w.deregister();
  }

  /** One queued job is cancelled alone (job-cancelled), then the whole execution (cancelled). */
  private void cancelled() {
    String id = submit("cancelled", """
        {"workflowId": "compat-cancel", "jobs": [
          {"id": "running", "type": "noop"},
          {"id": "queued", "type": "noop"},
          {"id": "waiting", "type": "noop", "dependsOn": ["running"]}
        ]}""");
    ProbeWorker w = ProbeWorker.register(node, "compat-w5", 2);
    List<JobOffer> offered = List.of(take(w), take(w));
    JobOffer running = offered.stream().filter(o -> o.jobId().equals("running")).findFirst().orElseThrow();
    node.gantry().execution(id).tell(new ExecutionProtocol.ReportStarted("running", running.attemptId(), w.id(), null,
        System.currentTimeMillis()));
    awaitJob(id, "running", j -> j.status() == JobStatus.RUNNING);
    Await.result(node.gantry().cancelJob(id, "queued"));
    Await.result(node.gantry().cancel(id));
    awaitFinished(id, ExecutionStatus.CANCELLED);
    w.deregister();
  }

  /**
   * 101 jobs (100 in parallel, then one fan-in; one fails once): over 2 x jobs events, so the journal holds a
   * snapshot, and the events after it.
   */
  private void crossesASnapshot() {
    StringBuilder jobs = new StringBuilder();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String jobId = "j%03d".formatted(i);
      jobs.append("{\"id\": \"").append(jobId).append("\", \"type\": \"noop\"")
          .append(i == 7 ? ", \"maxRetries\": 2, \"backoff\": {\"initialMs\": 100, \"multiplier\": 1.0, "
              + "\"maxMs\": 100}" : "")
          .append("},\n");
      all.append(i == 0 ? "" : ", ").append('"').append(jobId).append('"');
    }
    String id = submit("crosses-a-snapshot", "{\"workflowId\": \"compat-snapshot\", \"jobs\": [" + jobs
        + "{\"id\": \"sum\", \"type\": \"noop\", \"dependsOn\": [" + all + "]}]}");
    ProbeWorker w = ProbeWorker.register(node, "compat-w6", 200);
    boolean failedOnce = false;
    for (int handled = 0; handled < 102; handled++) {
      JobOffer o = w.nextJob();
      boolean fail = o.jobId().equals("j007") && !failedOnce;
      failedOnce |= fail;
      finish(w, o, !fail, fail ? null : NODES.objectNode().put("job", o.jobId()), fail ? "flaky" : null, null);
    }
    awaitFinished(id, ExecutionStatus.COMPLETED);
    w.deregister();
  }

  private String submit(String scenario, String dag) {
    String id = Await.result(node.gantry().submit(DagParser.parse(dag))).executionId();
    executions.put(scenario, id);
    return id;
  }

  /** The next job offered to {@code w}, not reported started. */
  private static JobOffer take(ProbeWorker w) {
    return w.probe().expectMessageClass(WorkerProtocol.Run.class, Duration.ofSeconds(10)).offer();
  }

  /** Reports an attempt's end as a worker node does (frees the slot, then tells the execution). */
  private void finish(ProbeWorker w, JobOffer o, boolean success, JsonNode output, String error, String logs) {
    node.gantry().registry("default").tell(new RegistryProtocol.AttemptEnded(w.id(), o.attemptId()));
    TestProbe<StatusReply<Done>> reply = TestProbe.create(node.system());
    long now = System.currentTimeMillis();
    node.gantry().execution(o.executionId()).tell(new ExecutionProtocol.ReportFinished(o.jobId(), o.attemptId(), w.id(),
        success, output, error, logs, now - 5, now, reply.ref()));
    @SuppressWarnings("unchecked")
    StatusReply<Done> answer = reply.expectMessageClass(StatusReply.class, Duration.ofSeconds(10));
    if (answer.isError()) {
      throw new IllegalStateException("the execution refused " + o.attemptId() + ": " + answer.getError());
    }
  }

  private void awaitJob(String id, String jobId, java.util.function.Predicate<ExecutionState.JobState> done) {
    Await.until(() -> Await.result(node.gantry().status(id)).jobs().get(jobId), done, Duration.ofSeconds(15),
        jobId + " of " + id);
  }

  private void awaitFinished(String id, ExecutionStatus status) {
    ExecutionStatus s = Await.until(() -> Await.result(node.gantry().status(id)).status(),
        ExecutionStatus::finished, Duration.ofSeconds(20), id + " to finish");
    if (s != status) {
      throw new IllegalStateException(id + " ended " + s + ", not " + status);
    }
  }

  /** What the public API answers for the execution: its state, every job's detail and result. */
  private ObjectNode endState(String scenario, String id) {
    ObjectNode e = NODES.objectNode();
    e.put("scenario", scenario);
    e.put("executionId", id);
    ExecutionState state = Await.result(node.gantry().status(id));
    e.set("state", JSON.valueToTree(state));
    ObjectNode jobs = e.putObject("jobs");
    ObjectNode results = e.putObject("results");
    for (String jobId : new TreeSet<>(state.jobs().keySet())) {
      jobs.set(jobId, JSON.valueToTree(Await.result(node.gantry().job(id, jobId))));
      results.set(jobId, resultOrError(id, jobId));
    }
    return e;
  }

  JsonNode resultOrError(String id, String jobId) {
    try {
      return JSON.valueToTree(Await.result(node.gantry().result(id, jobId)));
    } catch (GantryException ex) {
      return NODES.objectNode().put("errorCode", ex.code());
    }
  }

  /** The event names in journal order and the snapshot sequence numbers of the execution, as stored. */
  private static void addStoredHistory(ObjectNode e, StoredRecords stored) {
    String pid = Execution.TYPE_KEY.name() + "|" + e.get("executionId").asText();
    e.put("persistenceId", pid);
    ArrayNode events = e.putArray("events");
    for (var s : stored.eventsOf(pid)) {
      events.add(StoredRecords.eventName(s.payload().manifest()).orElseThrow(() ->
          new IllegalStateException("not an ExecutionEvent: " + s.payload().manifest())));
    }
    ArrayNode snapshots = e.putArray("snapshotSequenceNrs");
    stored.snapshots().stream().filter(s -> s.persistenceId().equals(pid)).forEach(s -> snapshots.add(s.sequenceNr()));
  }

  private static ArrayNode storedClasses(StoredRecords stored) {
    ArrayNode out = NODES.arrayNode();
    Map<String, Long> events = StoredRecords.countBy(stored.events(), s -> s.payload().serializerId() + " "
        + s.payload().manifest());
    Map<String, Long> snapshots = StoredRecords.countBy(stored.snapshots(), s -> s.payload().serializerId() + " "
        + s.payload().manifest());
    for (var kind : new java.util.TreeMap<>(Map.of("event", events, "snapshot", snapshots)).entrySet()) {
      kind.getValue().forEach((k, n) -> {
        String manifest = k.substring(k.indexOf(' ') + 1);
        ObjectNode c = out.addObject().put("kind", kind.getKey());
        StoredRecords.eventName(manifest).ifPresent(name -> c.put("eventName", name));
        c.put("serializerId", Integer.parseInt(k.substring(0, k.indexOf(' ')))).put("manifest", manifest)
            .put("records", n);
      });
    }
    return out;
  }

  /** A fixture that misses an event type or the snapshot would guard less than it claims: refuse to write it. */
  private static void checkCoverage(ObjectNode expected, StoredRecords stored) {
    Set<String> seen = new TreeSet<>();
    expected.get("executions").forEach(e -> e.get("events").forEach(n -> seen.add(n.asText())));
    Set<String> missing = new TreeSet<>(StoredRecords.eventNamesByClassName().values());
    missing.removeAll(seen);
    if (!missing.isEmpty() || stored.snapshots().isEmpty()) {
      throw new IllegalStateException("the fixture misses event types " + missing + " or has no snapshot ("
          + stored.snapshots().size() + ")");
    }
  }
}
