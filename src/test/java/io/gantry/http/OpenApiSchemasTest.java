package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The document's object schemas are the bodies' own types: each names exactly the fields of the Java record the
 * routes read or write (or the field list the DAG parser accepts), so a field added to a body without the document
 * fails here. Every object schema is either tied to its type below or named as built by hand (maps the routes write).
 */
class OpenApiSchemasTest {
  /** Schema name to the record it describes (binary names: nested records with '$'). */
  static final Map<String, String> RECORDS = Map.ofEntries(
      Map.entry("ApiError", "io.gantry.api.ApiError"),
      Map.entry("ExecutionAccepted", "io.gantry.api.ExecutionAccepted"),
      Map.entry("BulkExecutionsAccepted", "io.gantry.api.ExecutionsAccepted"),
      Map.entry("QueueStats", "io.gantry.api.QueueStatsView"),
      Map.entry("PauseState", "io.gantry.api.PauseState"),
      Map.entry("Removed", "io.gantry.api.Removed"),
      Map.entry("DrainRequest", "io.gantry.api.DrainRequest"),
      Map.entry("CleanRequest", "io.gantry.api.CleanRequest"),
      Map.entry("ExecutionState", "io.gantry.protocol.ExecutionState"),
      Map.entry("JobState", "io.gantry.protocol.ExecutionState$JobState"),
      Map.entry("JobResult", "io.gantry.protocol.JobResult"),
      Map.entry("ExecutionPage", "io.gantry.protocol.ExecutionPage"),
      Map.entry("ExecutionSummary", "io.gantry.protocol.ExecutionPage$ExecutionSummary"),
      Map.entry("JobDetail", "io.gantry.protocol.JobDetail"),
      Map.entry("AttemptRecord", "io.gantry.protocol.AttemptRecord"),
      Map.entry("WorkerInfo", "io.gantry.protocol.WorkerInfo"),
      Map.entry("WorkerMetadata", "io.gantry.protocol.WorkerRegistration$Metadata"),
      Map.entry("Backlog", "io.gantry.protocol.QueueStats$Backlog"),
      Map.entry("WorkerRegistered", "io.gantry.protocol.RegistryProtocol$Registered"),
      Map.entry("AuditEntry", "io.gantry.protocol.AuditEntry"),
      Map.entry("Principal", "io.gantry.protocol.Principal"),
      Map.entry("Audit", "io.gantry.http.EventStreamRoutes$Audit"),
      Map.entry("QueueJob", "io.gantry.http.QueueJob"),
      Map.entry("QueueJobCreated", "io.gantry.http.QueueRoutes$Created"),
      Map.entry("BulkQueueCreated", "io.gantry.http.QueueRoutes$BulkCreated"),
      Map.entry("QueueJobList", "io.gantry.http.QueueRoutes$QueueJobList"),
      Map.entry("WorkerStats", "io.gantry.http.WorkerStats"),
      Map.entry("Assignment", "io.gantry.http.WorkerRoutes$Assignment"),
      Map.entry("WorkerRegistrationRequest", "io.gantry.http.WorkerRequests$Register"),
      Map.entry("HeartbeatRequest", "io.gantry.http.WorkerRequests$Heartbeat"),
      Map.entry("PollRequest", "io.gantry.http.WorkerRequests$Poll"),
      Map.entry("ProgressRequest", "io.gantry.http.WorkerRequests$Progress"),
      Map.entry("CompleteRequest", "io.gantry.http.WorkerRequests$Complete"),
      Map.entry("LockInfo", "io.gantry.locks.LockInfo"),
      Map.entry("LockReleased", "io.gantry.http.LockRoutes$Released"),
      Map.entry("AcquireLockRequest", "io.gantry.http.LockRoutes$AcquireRequest"),
      Map.entry("ExtendLockRequest", "io.gantry.http.LockRoutes$ExtendRequest"),
      Map.entry("CheckpointRequest", "io.gantry.http.ExecutionRoutes$CheckpointRequest"));
  /** Schema name to the DagParser constant that lists the fields it accepts. */
  static final Map<String, String> PARSER_FIELDS = Map.of("DagDocument", "DOCUMENT_FIELDS",
      "JobDefinition", "JOB_FIELDS", "Backoff", "BACKOFF_FIELDS", "Requirements", "REQUIREMENTS_FIELDS");
  /** Bodies built by hand (maps), or requests whose fields are the DAG's: checked by their answers only. */
  static final Set<String> BY_HAND = Set.of("HealthReport", "WorkerDeregistered", "AttemptAccepted",
      "QueueJobRequest", "BulkQueueRequest", "BulkExecutionsRequest");
  /**
   * What other branches add at the same time (bulk submit, audit trail, the jobs' dependsOn): absent from this code
   * only. Empty this set once they have landed.
   */
  static final Set<String> PENDING = Set.of();

  static final OpenApiDocument doc = OpenApiDocument.load();

  @Test
  void everyObjectSchemaHasTheFieldsOfItsType() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    var schemas = doc.root().path("components").path("schemas");
    for (var it = schemas.fields(); it.hasNext(); ) {
      var e = it.next();
      String name = e.getKey();
      Set<String> documented = properties(e.getValue());
      if (documented.isEmpty() || BY_HAND.contains(name)) {
        continue;
      }
      Set<String> actual;
      if (RECORDS.containsKey(name)) {
        Class<?> type;
        try {
          type = Class.forName(RECORDS.get(name));
        } catch (ClassNotFoundException missing) {
          (PENDING.contains(name) ? pending : wrong).add(name + ": no class " + RECORDS.get(name));
          continue;
        }
        assertTrue(type.isRecord(), type + " is not a record");
        actual = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
          actual.add(c.getName());
        }
      } else if (PARSER_FIELDS.containsKey(name)) {
        Field f = Class.forName("io.gantry.dag.DagParser").getDeclaredField(PARSER_FIELDS.get(name));
        f.setAccessible(true);
        actual = new TreeSet<>((List<?>) f.get(null)).stream().map(Object::toString)
            .collect(Collectors.toCollection(TreeSet::new));
      } else {
        wrong.add(name + ": tie it to its type in OpenApiSchemasTest (or name it as built by hand)");
        continue;
      }
      Set<String> extra = new TreeSet<>(documented);
      extra.removeAll(actual);
      extra.removeIf(field -> PENDING.contains(name + "." + field) && pending.add(name + "." + field));
      Set<String> missing = new TreeSet<>(actual);
      missing.removeAll(documented);
      if (!extra.isEmpty() || !missing.isEmpty()) {
        wrong.add(name + " (" + RECORDS.getOrDefault(name, PARSER_FIELDS.get(name)) + "): documented but not in the"
            + " type " + extra + ", in the type but not documented " + missing);
      }
    }
    if (!pending.isEmpty()) {
      System.out.println("OpenApiSchemasTest: PENDING, not in this code yet: " + pending);
    }
    assertEquals(List.of(), wrong);
  }

  /** The ApiError body's inner object is ApiError.Body. */
  @Test
  void theErrorBodyIsApiErrorBody() throws Exception {
    Set<String> documented = properties(doc.root().at("/components/schemas/ApiError/properties/error"));
    Set<String> actual = new TreeSet<>();
    for (RecordComponent c : Class.forName("io.gantry.api.ApiError$Body").getRecordComponents()) {
      actual.add(c.getName());
    }
    assertEquals(actual, documented);
  }

  private static Set<String> properties(JsonNode schema) {
    Set<String> names = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }
}
