package io.gantry.execution;

import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.Principal;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagParser;
import io.gantry.execution.ExecutionEvent.*;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every stored class (each ExecutionEvent type, ExecutionSnapshot) goes through Pekko serialization with the real
 * config exactly as the journal stores it (serializer id, manifest, bytes) and comes back equal; and it is still
 * written with the serializer and manifest that the journal-v1 fixture (src/test/resources/compat) recorded, so a
 * moved or renamed stored class fails here with its name.
 */
class StoredFormatSerializationTest {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static ActorTestKit kit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("stored-format", ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static DagDocument document() {
    return DagParser.parse("""
        {"workflowId": "stored", "executionId": "ex-1", "priority": 3, "metadata": {"team": "data", "n": [1, 2.5]},
         "jobs": [
          {"id": "a", "type": "shell", "maxRetries": 1, "timeoutMs": 60000,
           "backoff": {"initialMs": 100, "multiplier": 2.0, "maxMs": 1000}, "requiredCapabilities": ["cpu"],
           "requirements": {"minMemoryGB": 2.0, "minCpuCores": 1}, "concurrencyKey": "db", "pool": "default",
           "config": {"command": ["echo", "é"]}},
          {"id": "b", "type": "noop", "dependsOn": ["a"], "priority": 9},
          {"id": "c", "type": "noop"},
          {"id": "d", "type": "noop", "dependsOn": ["b", "c"]}
        ]}""");
  }

  /** One run's journal, in order, using every event type (a fold of it must stay a valid run). */
  static List<ExecutionEvent> journal() {
    long t = 1_700_000_000_000L;
    JsonNode checkpoint = JSON.objectNode().put("offset", 7).set("files", JSON.arrayNode().add("x"));
    return List.of(
        new Submitted(document(), t),
        new JobsQueued(List.of(new QueuedAttempt("a", "ex-1:a:1"), new QueuedAttempt("c", "ex-1:c:1")), t + 1),
        new JobStarted("a", "ex-1:a:1", "w1", "pekko://gantry@127.0.0.1:2551", t + 2),
        new JobProgressed("a", "ex-1:a:1", 40.5, "warming up", checkpoint, t + 3),
        new JobProgressed("a", "ex-1:a:1", null, null, JSON.nullNode(), t + 3, "line 1\nline 2\n"), // logs: optional
        new JobFailed("a", "ex-1:a:1", "boom", "line 1\nline 2", false, t + 104, t + 4),
        new Paused(t + 5, new Principal("ci", "submit")), // who asked: optional, null in older events
        new Resumed(t + 6),
        new JobsQueued(List.of(new QueuedAttempt("a", "ex-1:a:2")), t + 104),
        new JobStarted("a", "ex-1:a:2", "http-7", null, t + 105),
        new JobSucceeded("a", "ex-1:a:2", JSON.objectNode().put("rows", 3).put("big", 1L << 40), "done", 12, t + 106),
        new JobStarted("c", "ex-1:c:1", "w1", "pekko://gantry@127.0.0.1:2551", t + 107),
        new AttemptLost("c", "ex-1:c:1", "worker w1 removed", t + 108),
        new JobsQueued(List.of(new QueuedAttempt("c", "ex-1:c:2"), new QueuedAttempt("b", "ex-1:b:1")), t + 109),
        new JobCancelled("c", "ex-1:c:2", t + 110),
        new JobStarted("b", "ex-1:b:1", "w2", "pekko://gantry@127.0.0.1:2552", t + 111),
        new JobFailed("b", "ex-1:b:1", "timed out after 60000 ms", null, true, null, t + 112),
        new JobsSkipped(List.of("d"), "b", t + 113),
        new CheckpointLinked("ckpt-1", t + 114),
        new Finished(ExecutionStatus.FAILED, t + 115),
        new Retried(List.of("b", "c", "d"), t + 116, Principal.ACTOR_API),
        new JobsQueued(List.of(new QueuedAttempt("b", "ex-1:b:2"), new QueuedAttempt("c", "ex-1:c:3")), t + 117),
        new Cancelled(List.of("b", "c", "d"), t + 118, new Principal("ops", "admin")),
        new Finished(ExecutionStatus.CANCELLED, t + 119));
  }

  /** What the journal does with a payload: serializer id, string manifest, bytes; and back through the manifest. */
  static Object storedAndRead(Object value) {
    Serializer serializer = serialization.findSerializerFor(value);
    String manifest = Serializers.manifestFor(serializer, value);
    byte[] bytes = serializer.toBinary(value);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  @Test
  void everyEventTypeRoundTripsEqual() {
    Set<Class<?>> covered = new HashSet<>();
    for (ExecutionEvent event : journal()) {
      assertEquals(event, storedAndRead(event), event.getClass().getSimpleName());
      covered.add(event.getClass());
    }
    assertEquals(Set.of(ExecutionEvent.class.getPermittedSubclasses()), covered,
        "the journal of this test uses every ExecutionEvent type (add a new type here)");
  }

  /** A snapshot after each event of the journal (waiting, queued, running, retrying, failed, cancelled jobs...). */
  @Test
  void snapshotsAtEveryStepRoundTripEqualAndRebuildTheSameState() {
    RunState state = new RunState("ex-1");
    List<ExecutionSnapshot> snapshots = new ArrayList<>(List.of(ExecutionSnapshot.of(state)));
    for (ExecutionEvent event : journal()) {
      state = state.apply(event);
      snapshots.add(ExecutionSnapshot.of(state));
    }
    for (ExecutionSnapshot snapshot : snapshots) {
      ExecutionSnapshot read = (ExecutionSnapshot) storedAndRead(snapshot);
      assertEquals(snapshot, read, "snapshot in status " + snapshot.status());
      assertEquals(snapshot, ExecutionSnapshot.of(read.toState()), "the state rebuilt from the snapshot");
    }
    ExecutionSnapshot last = snapshots.get(snapshots.size() - 1);
    assertEquals(ExecutionStatus.CANCELLED, last.status());
    assertEquals("ckpt-1", last.checkpointId());
    assertEquals(2, last.jobs().get(0).history().size(), "a's two attempts");
  }

  @Test
  void storedClassesKeepTheSerializerAndManifestTheFixtureRecorded() throws IOException {
    JsonNode recorded;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("compat/journal-v1.json")) {
      assertNotNull(in, "compat/journal-v1.json on the test classpath");
      recorded = new ObjectMapper().readTree(in).get("storedClasses");
    }
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    recorded.forEach(c -> byName.put(c.has("eventName") ? c.get("eventName").asText() : c.get("kind").asText(), c));
    Map<Class<?>, String> names = Arrays.stream(ExecutionEvent.class.getAnnotation(JsonSubTypes.class).value())
        .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
    List<Object> samples = new ArrayList<>(journal());
    samples.add(ExecutionSnapshot.of(new RunState("ex-1").apply(journal().get(0))));
    Set<String> checked = new HashSet<>();
    for (Object sample : samples) {
      String name = sample instanceof ExecutionSnapshot ? "snapshot" : names.get(sample.getClass());
      JsonNode stored = byName.get(name);
      assertNotNull(stored, "the fixture recorded how '" + name + "' is stored");
      Serializer serializer = serialization.findSerializerFor(sample);
      assertEquals(stored.get("manifest").asText(), Serializers.manifestFor(serializer, sample),
          "'" + name + "' would be stored under another manifest than the journals written so far hold: stored "
              + "classes must keep their fully qualified names (or old journals no longer replay)");
      assertEquals(stored.get("serializerId").asInt(), serializer.identifier(), "'" + name + "' serializer id");
      checked.add(name);
    }
    assertEquals(byName.keySet(), checked, "every class the fixture holds is checked");
  }
}
