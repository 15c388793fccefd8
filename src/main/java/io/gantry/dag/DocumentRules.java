package io.gantry.dag;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field rules of API.md §2 for a document and its jobs (the graph rules are {@link DagGraph}'s);
 * turns each {@link JobSpec} into a {@link JobDefinition} with defaults applied.
 */
final class DocumentRules {

  static final int MAX_JOBS = 10_000;

  private static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern EXECUTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

  private static final String WORKFLOW_ID_RULE = "1..128 of A-Z a-z 0-9 . _ -";
  private static final String EXECUTION_ID_RULE = "1..128 of A-Z a-z 0-9 . _ : -";
  private static final String NAME_RULE = "1..64 of A-Z a-z 0-9 . _ -";
  private static final String KEY_RULE = "1..128 of A-Z a-z 0-9 . _ : / -";

  private static final JobSpec EMPTY_SPEC =
      new JobSpec(null, null, null, null, null, null, null, null, null, null, null, null);

  private DocumentRules() {}

  /** The jobs with defaults applied; problems are recorded, the values then only serve to keep going. */
  static List<JobDefinition> check(DagDocument document, Problems problems) {
    if (document.workflowId() == null) {
      problems.add(null, "workflowId is required");
    } else {
      matches(problems, null, "workflowId", document.workflowId(), WORKFLOW_ID, WORKFLOW_ID_RULE);
    }
    if (document.executionId() != null) {
      matches(problems, null, "executionId", document.executionId(), EXECUTION_ID, EXECUTION_ID_RULE);
    }
    checkPriority(problems, null, document.priority());
    List<JobSpec> specs = document.jobs();
    if (specs == null || specs.isEmpty()) {
      problems.add(null, "jobs is required: a list of 1.." + MAX_JOBS + " jobs");
      return List.of();
    }
    if (specs.size() > MAX_JOBS) {
      problems.add(null, "jobs has " + specs.size() + " entries, at most " + MAX_JOBS + " are allowed");
    }
    int documentPriority = document.priority() != null ? document.priority() : JobDefinition.DEFAULT_PRIORITY;
    List<JobDefinition> jobs = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      JobSpec spec = specs.get(i);
      if (spec == null) {
        problems.add("jobs[" + i + "]", "a job must be a JSON object, got null");
        // A placeholder keeps indexes aligned; its own problems would only repeat the one above.
        jobs.add(job(i, EMPTY_SPEC, documentPriority, new Problems()));
      } else {
        jobs.add(job(i, spec, documentPriority, problems));
      }
    }
    return jobs;
  }

  private static JobDefinition job(int index, JobSpec spec, int documentPriority, Problems problems) {
    String where = Problems.jobLabel(index, spec.id());
    if (spec.id() == null) {
      problems.add(where, "id is required");
    } else {
      matches(problems, where, "id", spec.id(), NAME, NAME_RULE);
    }
    if (spec.type() == null) {
      problems.add(where, "type is required (shell, noop, sleep, fail or a custom type)");
    } else if (matches(problems, where, "type", spec.type(), NAME, NAME_RULE)) {
      BuiltInConfigs.check(spec.type(), spec.config(), where, problems);
    }
    checkPriority(problems, where, spec.priority());
    if (spec.maxRetries() != null && (spec.maxRetries() < 0 || spec.maxRetries() > 20)) {
      problems.add(where, "maxRetries " + spec.maxRetries() + " is outside 0..20");
    }
    if (spec.timeoutMs() != null && spec.timeoutMs() < 0) {
      problems.add(where, "timeoutMs " + spec.timeoutMs() + " is negative (0 means no timeout)");
    }
    checkBackoff(spec.backoff(), where, problems);
    checkRequirements(spec.requirements(), where, problems);
    if (spec.concurrencyKey() != null) {
      matches(problems, where, "concurrencyKey", spec.concurrencyKey(), KEY, KEY_RULE);
    }
    if (spec.pool() != null) {
      matches(problems, where, "pool", spec.pool(), KEY, KEY_RULE);
    }
    if (spec.config() != null && !spec.config().isObject()) {
      problems.add(where, "config must be an object, got " + JsonValues.show(spec.config()));
    }
    return new JobDefinition(
        index,
        spec.id(),
        spec.type(),
        spec.dependsOn() == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(spec.dependsOn())),
        spec.priority() != null ? spec.priority() : documentPriority,
        spec.maxRetries() != null ? spec.maxRetries() : JobDefinition.DEFAULT_MAX_RETRIES,
        spec.backoff() != null ? spec.backoff() : Backoff.DEFAULT,
        spec.timeoutMs() != null ? spec.timeoutMs() : 0L,
        capabilities(spec.requiredCapabilities(), where, problems),
        spec.requirements() != null ? spec.requirements() : Requirements.NONE,
        spec.concurrencyKey(),
        spec.pool() != null ? spec.pool() : JobDefinition.DEFAULT_POOL,
        spec.config() != null ? spec.config() : JsonNodeFactory.instance.objectNode());
  }

  private static void checkPriority(Problems problems, String where, Integer priority) {
    if (priority != null && (priority < 1 || priority > 10)) {
      problems.add(where, "priority " + priority + " is outside 1..10 (10 is most urgent)");
    }
  }

  private static void checkBackoff(Backoff backoff, String where, Problems problems) {
    if (backoff == null) {
      return;
    }
    if (backoff.initialMs() < 0) {
      problems.add(where, "backoff.initialMs " + backoff.initialMs() + " is negative");
    }
    if (!(backoff.multiplier() >= 1.0)) {
      problems.add(where, "backoff.multiplier " + backoff.multiplier() + " is below 1.0");
    }
    if (backoff.maxMs() < backoff.initialMs()) {
      problems.add(
          where,
          "backoff.maxMs " + backoff.maxMs() + " is below backoff.initialMs " + backoff.initialMs()
              + " (maxMs defaults to " + Backoff.DEFAULT.maxMs() + ")");
    }
  }

  private static void checkRequirements(Requirements requirements, String where, Problems problems) {
    if (requirements == null) {
      return;
    }
    if (requirements.minMemoryGB() != null && !(requirements.minMemoryGB() >= 0)) {
      problems.add(where, "requirements.minMemoryGB " + requirements.minMemoryGB() + " is negative");
    }
    if (requirements.minCpuCores() != null && requirements.minCpuCores() < 0) {
      problems.add(where, "requirements.minCpuCores " + requirements.minCpuCores() + " is negative");
    }
    if (requirements.minGpuCount() != null && requirements.minGpuCount() < 0) {
      problems.add(where, "requirements.minGpuCount " + requirements.minGpuCount() + " is negative");
    }
  }

  private static Set<Capability> capabilities(List<String> names, String where, Problems problems) {
    if (names == null || names.isEmpty()) {
      return Set.of();
    }
    EnumSet<Capability> capabilities = EnumSet.noneOf(Capability.class);
    for (String name : names) {
      Capability.fromWire(name)
          .ifPresentOrElse(
              capabilities::add,
              () -> problems.add(
                  where,
                  "requiredCapabilities has unknown capability " + (name == null ? "null" : Problems.quote(name))
                      + " (known: " + Capability.WIRE_NAMES + ")"));
    }
    return Collections.unmodifiableSet(capabilities);
  }

  private static boolean matches(
      Problems problems, String where, String field, String value, Pattern pattern, String rule) {
    if (pattern.matcher(value).matches()) {
      return true;
    }
    problems.add(where, field + " " + Problems.quote(value) + " is not valid: use " + rule);
    return false;
  }
}
