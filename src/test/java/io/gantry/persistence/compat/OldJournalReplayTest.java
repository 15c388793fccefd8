package io.gantry.persistence.compat;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.execution.ExecutionEvent;
import io.gantry.execution.ExecutionSnapshot;
import io.gantry.protocol.GantryException;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Executions journaled by Gantry before the issue-8 refactor (src/test/resources/compat, written by
 * {@link JournalFixtureWriter}) replay, on a node started over those Redis keys, to exactly what the public actor API
 * answered back then: state, every job's detail and result. The fixture's journals hold every event type; one
 * execution is read from its snapshot (its events up to the snapshot are removed after loading, so nothing else
 * could rebuild its state).
 */
class OldJournalReplayTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static JsonNode fixture;
  static JsonNode expected;
  static TestNode node;
  static RedisClient client;
  static StatefulRedisConnection<byte[], byte[]> redis;

  @BeforeAll
  static void loadTheOldKeysAndStartANodeOverThem() throws IOException {
    fixture = resource("compat/journal-v1.json");
    expected = resource("compat/journal-v1-expected.json");
    // Retention must not sweep the fixture's executions, which finished when it was written.
    node = TestNode.start("gantry.node.roles = [orchestrator]\npekko.cluster.roles = [orchestrator]\n"
        + "gantry.retention.finished-executions = 36500d");
    client = RedisClient.create(TestRedisUrl.get());
    redis = client.connect(ByteArrayCodec.INSTANCE);
    RedisDump.load(redis.sync(), fixture.get("keys"), node.prefix());
    for (JsonNode e : expected.get("executions")) {
      JsonNode snapshots = e.get("snapshotSequenceNrs");
      if (!snapshots.isEmpty()) {
        byte[] events = (node.prefix() + "j:{" + e.get("persistenceId").asText() + "}:events")
            .getBytes(StandardCharsets.UTF_8);
        long removed = redis.sync().zremrangebyscore(events, Range.create(0, snapshots.get(0).asLong()));
        assertEquals(snapshots.get(0).asLong(), removed, "events up to the snapshot removed");
      }
    }
    node.restart(); // a node that starts with the old keys in place, as after an upgrade
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      RedisDump.deleteAll(redis.sync(), node.prefix());
      redis.close();
      client.shutdown();
    }
  }

  static JsonNode resource(String name) throws IOException {
    try (InputStream in = OldJournalReplayTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name + " on the test classpath");
      return JSON.readTree(in);
    }
  }

  /** Names the class that no longer reads, rather than leaving it to a recovery failure. */
  @Test
  void everyStoredEventAndSnapshotDeserializesToItsStoredClass() {
    var serialization = SerializationExtension.get(node.system());
    StoredRecords stored = StoredRecords.of(fixture.get("keys"));
    List<StoredRecords.Stored> all = new ArrayList<>(stored.events());
    all.addAll(stored.snapshots());
    Set<String> read = new TreeSet<>();
    Set<String> failures = new TreeSet<>();
    for (StoredRecords.Stored s : all) {
      var p = s.payload();
      var back = serialization.deserialize(p.bytes(), p.serializerId(), p.manifest());
      assertTrue(back.isSuccess(), () -> "stored " + p.manifest() + " (" + s.persistenceId() + " #" + s.sequenceNr()
          + ") no longer deserializes: a stored event or snapshot class was moved or renamed (they must keep "
          + "their fully qualified names): " + back.failed().get());
      Object value = back.get();
      assertTrue(value instanceof ExecutionEvent || value instanceof ExecutionSnapshot, value.getClass().getName());
      assertEquals(p.manifest(), value.getClass().getName(), "the manifest names the class that reads it");
      StoredRecords.eventName(p.manifest()).ifPresent(read::add);
      if (value instanceof ExecutionEvent.JobFailed f) {
        failures.add(f.retryAt() == null ? "for good" : "with a retry");
      }
    }
    assertEquals(Set.of("for good", "with a retry"), failures, "the fixture holds both kinds of failure");
    assertEquals(new TreeSet<>(StoredRecords.eventNamesByClassName().values()), read,
        "the fixture's journals hold every event type");
    assertFalse(stored.snapshots().isEmpty(), "the fixture holds a snapshot");
  }

  @Test
  void everyExecutionReplaysToTheRecordedState() throws IOException {
    for (JsonNode e : expected.get("executions")) {
      String id = e.get("executionId").asText();
      String what = e.get("scenario").asText() + " (" + id + ")";
      assertEquals(withDependsOn(e), json(Await.result(node.gantry().status(id))), what + ": state");
      for (var job : iterable(e.get("jobs").fieldNames())) {
        assertEquals(e.get("jobs").get(job), json(Await.result(node.gantry().job(id, job))), what + ": job " + job);
        assertEquals(e.get("results").get(job), result(id, job), what + ": result of " + job);
      }
      assertEquals(e.get("jobs").size(), e.get("state").get("jobs").size(), what + ": every job recorded");
    }
  }

  @Test
  void theIndexStillListsTheExecutions() {
    for (JsonNode e : expected.get("executions")) {
      String id = e.get("executionId").asText();
      var page = Await.result(node.gantry().list(e.get("state").get("workflowId").asText(), null, 10, null));
      var summary = page.items().stream().filter(s -> s.executionId().equals(id)).findFirst();
      assertTrue(summary.isPresent(), id + " listed under its workflow");
      assertEquals(e.get("state").get("status").asText(), summary.get().status().wireName(), id + " status");
    }
  }

  private static JsonNode result(String id, String jobId) throws IOException {
    try {
      return json(Await.result(node.gantry().result(id, jobId)));
    } catch (GantryException ex) {
      return JSON.createObjectNode().put("errorCode", ex.code());
    }
  }

  /** Through text, as the recorded state was, so numbers compare by value and not by Java type. */
  /**
   * The recorded state with what the state's jobs show since issue 10: each job's {@code dependsOn}, which must be
   * the one its recorded detail shows (an additive field; the recorded file stays as old deployments answered).
   */
  private static JsonNode withDependsOn(JsonNode execution) {
    com.fasterxml.jackson.databind.node.ObjectNode state = execution.get("state").deepCopy();
    for (var job : iterable(state.get("jobs").fieldNames())) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) state.get("jobs").get(job))
          .set("dependsOn", execution.get("jobs").get(job).get("dependsOn"));
    }
    return state;
  }

  private static JsonNode json(Object value) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(value));
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }
}
