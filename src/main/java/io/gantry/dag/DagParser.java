package io.gantry.dag;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns JSON into a {@link DagDocument}, checking syntax, field names and value types; the rules of
 * API.md §2 are checked afterwards by {@link Dag#of}. Every problem found is reported at once as a
 * {@link DagValidationException}, in words a user can act on (no Jackson class names).
 */
public final class DagParser {

  private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

  private static final List<String> DOCUMENT_FIELDS =
      List.of("workflowId", "executionId", "priority", "metadata", "jobs");
  private static final List<String> JOB_FIELDS =
      List.of("id", "type", "dependsOn", "priority", "maxRetries", "backoff", "timeoutMs",
          "requiredCapabilities", "requirements", "concurrencyKey", "pool", "config");
  private static final List<String> BACKOFF_FIELDS = List.of("initialMs", "multiplier", "maxMs");
  private static final List<String> REQUIREMENTS_FIELDS =
      List.of("minMemoryGB", "minCpuCores", "requireGpu", "minGpuCount");

  private DagParser() {}

  public static DagDocument parse(String json) {
    return parse(json, DEFAULT_MAPPER);
  }

  public static DagDocument parse(byte[] json) {
    return parse(json, DEFAULT_MAPPER);
  }

  public static DagDocument parse(String json, ObjectMapper mapper) {
    try {
      return fromTree(strictReader(mapper).readTree(json));
    } catch (JsonProcessingException e) {
      throw invalidJson(e);
    }
  }

  public static DagDocument parse(byte[] json, ObjectMapper mapper) {
    try {
      return fromTree(strictReader(mapper).readTree(json));
    } catch (JsonProcessingException e) {
      throw invalidJson(e);
    } catch (IOException e) {
      throw new DagValidationException(
          DagValidationException.INVALID_JSON, "The body could not be read: " + e.getMessage(), List.of());
    }
  }

  /** A document from an already parsed JSON tree. */
  public static DagDocument fromTree(JsonNode root) {
    if (root == null || root.isMissingNode()) {
      throw new DagValidationException(
          DagValidationException.INVALID_JSON, "The body is empty; send a DAG document as a JSON object.", List.of());
    }
    StorableJson.problem(root).ifPresent(problem -> {
      throw new DagValidationException(DagValidationException.INVALID_JSON, "The body cannot be stored: " + problem
          + ".", List.of(problem));
    });
    Problems problems = new Problems();
    if (!root.isObject()) {
      problems.add(null, "the document must be a JSON object, got " + JsonValues.show(root));
      problems.throwIfAny();
    }
    ObjectFields fields = new ObjectFields(root, null, "", problems);
    fields.rejectUnknown(DOCUMENT_FIELDS);
    DocumentBounds bounds = new DocumentBounds();
    bounds.metadata(root.get("metadata"));
    DagDocument document =
        new DagDocument(
            fields.text("workflowId"),
            fields.text("executionId"),
            fields.integer("priority"),
            fields.object("metadata"),
            jobs(fields.array("jobs"), problems, bounds));
    bounds.total(problems);
    bounds.throwIfTooLarge();
    problems.throwIfAny();
    return document;
  }

  /** One job on its own, as the queue API takes it; details name it {@code job (id "x")}. */
  public static JobSpec parseJob(JsonNode job) {
    Problems problems = new Problems();
    DocumentBounds bounds = new DocumentBounds();
    JobSpec spec = job(job, "job", problems, bounds);
    bounds.throwIfTooLarge();
    problems.throwIfAny();
    return spec;
  }

  private static List<JobSpec> jobs(JsonNode array, Problems problems, DocumentBounds bounds) {
    if (array == null) {
      return null;
    }
    List<JobSpec> jobs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      jobs.add(job(array.get(i), "jobs[" + i + "]", problems, bounds));
    }
    return jobs;
  }

  private static JobSpec job(JsonNode node, String prefix, Problems problems, DocumentBounds bounds) {
    if (node == null || !node.isObject()) {
      problems.add(prefix, "a job must be a JSON object, got " + (node == null ? "nothing" : JsonValues.show(node)));
      return null;
    }
    JsonNode idNode = node.get("id");
    String where = Problems.jobLabel(prefix, idNode != null && idNode.isTextual() ? idNode.textValue() : null);
    ObjectFields fields = new ObjectFields(node, where, "", problems);
    fields.rejectUnknown(JOB_FIELDS);
    bounds.job(node, where, problems);
    return new JobSpec(
        fields.text("id"),
        fields.text("type"),
        fields.strings("dependsOn"),
        fields.integer("priority"),
        fields.integer("maxRetries"),
        backoff(fields.object("backoff"), where, problems),
        fields.wholeNumber("timeoutMs"),
        fields.strings("requiredCapabilities"),
        requirements(fields.object("requirements"), where, problems),
        fields.text("concurrencyKey"),
        fields.text("pool"),
        fields.object("config"));
  }

  /** Missing parts take {@link Backoff#DEFAULT}'s values. */
  private static Backoff backoff(JsonNode node, String where, Problems problems) {
    if (node == null) {
      return null;
    }
    ObjectFields fields = new ObjectFields(node, where, "backoff.", problems);
    fields.rejectUnknown(BACKOFF_FIELDS);
    Long initialMs = fields.wholeNumber("initialMs");
    Double multiplier = fields.number("multiplier");
    Long maxMs = fields.wholeNumber("maxMs");
    return new Backoff(
        initialMs != null ? initialMs : Backoff.DEFAULT.initialMs(),
        multiplier != null ? multiplier : Backoff.DEFAULT.multiplier(),
        maxMs != null ? maxMs : Backoff.DEFAULT.maxMs());
  }

  private static Requirements requirements(JsonNode node, String where, Problems problems) {
    if (node == null) {
      return null;
    }
    ObjectFields fields = new ObjectFields(node, where, "requirements.", problems);
    fields.rejectUnknown(REQUIREMENTS_FIELDS);
    return new Requirements(
        fields.number("minMemoryGB"), fields.integer("minCpuCores"), fields.bool("requireGpu"), fields.integer("minGpuCount"));
  }

  /** Duplicate keys and trailing garbage are errors too: they usually hide a mistake. */
  private static ObjectReader strictReader(ObjectMapper mapper) {
    return mapper
        .reader()
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private static DagValidationException invalidJson(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    String at = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    String detail = e.getOriginalMessage() + at;
    return new DagValidationException(
        DagValidationException.INVALID_JSON, "The body is not valid JSON: " + detail + ".", List.of(detail));
  }
}
