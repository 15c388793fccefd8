package io.gantry.dag;

import static io.gantry.dag.Documents.assertRejected;
import static io.gantry.dag.Documents.assertRejectedMentioning;
import static io.gantry.dag.Documents.dag;
import static io.gantry.dag.Documents.json;
import static io.gantry.dag.Documents.withJobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DagValidationTest {

  private static final String NOOP_A = "{'id':'a','type':'noop'}";

  @Test
  void defaultsAreApplied() {
    JobDefinition a = dag(withJobs(NOOP_A)).job("a");
    assertEquals(new JobDefinition(0, "a", "noop", List.of(), 5, 3, Backoff.DEFAULT, 0, Set.of(), Requirements.NONE,
        null, "default", a.config()), a);
    assertTrue(a.config().isObject() && a.config().isEmpty());
  }

  @Test
  void jobsInheritTheDocumentPriorityUnlessTheyHaveTheirOwn() {
    Dag dag = dag(json("{'workflowId':'w','priority':9,'jobs':[{'id':'a','type':'noop'},{'id':'b','type':'noop','priority':2}]}"));
    assertEquals(9, dag.job("a").priority());
    assertEquals(2, dag.job("b").priority());
  }

  @Test
  void givenValuesAreKept() {
    JobDefinition job = dag(withJobs("""
        {'id':'t','type':'custom.gpu-train','maxRetries':0,'timeoutMs':60000,
         'requiredCapabilities':['gpu','ssd','gpu'],'requirements':{'requireGpu':true},
         'concurrencyKey':'registry:main/x','pool':'gpu-pool','config':{'k':1}}""")).job("t");
    assertEquals(0, job.maxRetries());
    assertEquals(60_000, job.timeoutMs());
    assertEquals(Set.of(Capability.GPU, Capability.SSD), job.requiredCapabilities());
    assertEquals(true, job.requirements().requireGpu());
    assertEquals("registry:main/x", job.concurrencyKey());
    assertEquals("gpu-pool", job.pool());
    assertEquals(1, job.config().get("k").asInt());
  }

  @Test
  void workflowIdIsRequiredAndMustBeAName() {
    assertRejected(json("{'jobs':[" + NOOP_A + "]}"), "workflowId is required");
    assertRejected(json("{'workflowId':'my flow','jobs':[" + NOOP_A + "]}"),
        "workflowId \"my flow\" is not valid: use 1..128 of A-Z a-z 0-9 . _ -");
    assertRejectedMentioning(json("{'workflowId':'" + "w".repeat(129) + "','jobs':[" + NOOP_A + "]}"), "workflowId");
    dag(json("{'workflowId':'" + "w".repeat(128) + "','jobs':[" + NOOP_A + "]}"));
  }

  @Test
  void executionIdWhenGivenMustBeAnId() {
    dag(json("{'workflowId':'w','executionId':'client:run-1.a_b','jobs':[" + NOOP_A + "]}"));
    assertRejected(json("{'workflowId':'w','executionId':'a/b','jobs':[" + NOOP_A + "]}"),
        "executionId \"a/b\" is not valid: use 1..128 of A-Z a-z 0-9 . _ : -");
  }

  @Test
  void jobsMustHaveOneToTenThousandEntries() {
    assertRejected(json("{'workflowId':'w'}"), "jobs is required: a list of 1..10000 jobs");
    assertRejected(json("{'workflowId':'w','jobs':[]}"), "jobs is required: a list of 1..10000 jobs");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i <= 10_000; i++) {
      jobs.add("{'id':'j" + i + "','type':'noop'}");
    }
    assertRejected(withJobs(jobs.toArray(String[]::new)), "jobs has 10001 entries, at most 10000 are allowed");
  }

  @Test
  void jobIdIsRequiredUniqueAndAName() {
    assertRejected(withJobs("{'type':'noop'}"), "jobs[0]: id is required");
    assertRejected(withJobs(NOOP_A, "{'id':'b','type':'noop'}", NOOP_A),
        "jobs[2] (id \"a\"): id \"a\" is already used by jobs[0]; ids must be unique");
    assertRejected(withJobs("{'id':'a b','type':'noop'}"),
        "jobs[0] (id \"a b\"): id \"a b\" is not valid: use 1..64 of A-Z a-z 0-9 . _ -");
    assertRejectedMentioning(withJobs("{'id':'" + "x".repeat(65) + "','type':'noop'}"), "jobs[0]", "id", "1..64");
  }

  @Test
  void typeIsRequiredAndAName() {
    assertRejected(withJobs("{'id':'a'}"), "jobs[0] (id \"a\"): type is required (shell, noop, sleep, fail or a custom type)");
    assertRejected(withJobs("{'id':'a','type':'my type!'}"),
        "jobs[0] (id \"a\"): type \"my type!\" is not valid: use 1..64 of A-Z a-z 0-9 . _ -");
  }

  @Test
  void dependsOnMustNameOtherJobsOfTheDocumentOnce() {
    assertRejected(withJobs(NOOP_A, "{'id':'b','type':'noop','dependsOn':['a','zz','b','a']}"),
        "jobs[1] (id \"b\"): dependsOn names unknown job \"zz\"",
        "jobs[1] (id \"b\"): dependsOn lists the job itself",
        "jobs[1] (id \"b\"): dependsOn lists \"a\" more than once");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 11, -3})
  void priorityOutsideOneToTenIsRejected(int priority) {
    assertRejected(withJobs("{'id':'train','type':'noop','priority':" + priority + "}"),
        "jobs[0] (id \"train\"): priority " + priority + " is outside 1..10 (10 is most urgent)");
    assertRejected(json("{'workflowId':'w','priority':" + priority + ",'jobs':[" + NOOP_A + "]}"),
        "priority " + priority + " is outside 1..10 (10 is most urgent)");
  }

  @Test
  void priorityBoundsAreAccepted() {
    dag(withJobs("{'id':'a','type':'noop','priority':1}", "{'id':'b','type':'noop','priority':10}"));
  }

  @Test
  void maxRetriesOutsideZeroToTwentyIsRejected() {
    assertRejected(withJobs("{'id':'a','type':'noop','maxRetries':21}"), "jobs[0] (id \"a\"): maxRetries 21 is outside 0..20");
    assertRejected(withJobs("{'id':'a','type':'noop','maxRetries':-1}"), "jobs[0] (id \"a\"): maxRetries -1 is outside 0..20");
    dag(withJobs("{'id':'a','type':'noop','maxRetries':20}", "{'id':'b','type':'noop','maxRetries':0}"));
  }

  @Test
  void negativeTimeoutIsRejected() {
    assertRejected(withJobs("{'id':'a','type':'noop','timeoutMs':-1}"),
        "jobs[0] (id \"a\"): timeoutMs -1 is negative (0 means no timeout)");
    assertEquals(0, dag(withJobs("{'id':'a','type':'noop','timeoutMs':0}")).job(0).timeoutMs());
  }

  @Test
  void backoffRules() {
    assertRejected(withJobs("{'id':'a','type':'noop','backoff':{'initialMs':-1,'multiplier':0.5,'maxMs':-2}}"),
        "jobs[0] (id \"a\"): backoff.initialMs -1 is negative",
        "jobs[0] (id \"a\"): backoff.multiplier 0.5 is below 1.0",
        "jobs[0] (id \"a\"): backoff.maxMs -2 is below backoff.initialMs -1 (maxMs defaults to 300000)");
    assertRejectedMentioning(withJobs("{'id':'a','type':'noop','backoff':{'initialMs':600000}}"),
        "backoff.maxMs 300000 is below backoff.initialMs 600000");
    assertEquals(new Backoff(0, 1.0, 0), dag(withJobs("{'id':'a','type':'noop','backoff':{'initialMs':0,'multiplier':1,'maxMs':0}}")).job(0).backoff());
  }

  @Test
  void unknownCapabilityIsRejectedListingTheKnownOnes() {
    assertRejected(withJobs("{'id':'a','type':'noop','requiredCapabilities':['gpu','tpu']}"),
        "jobs[0] (id \"a\"): requiredCapabilities has unknown capability \"tpu\" (known: cpu, gpu, high-memory, ssd, network)");
  }

  @Test
  void negativeRequirementsAreRejected() {
    assertRejected(withJobs("{'id':'a','type':'noop','requirements':{'minMemoryGB':-0.5,'minCpuCores':-1,'minGpuCount':-2}}"),
        "jobs[0] (id \"a\"): requirements.minMemoryGB -0.5 is negative",
        "jobs[0] (id \"a\"): requirements.minCpuCores -1 is negative",
        "jobs[0] (id \"a\"): requirements.minGpuCount -2 is negative");
  }

  @Test
  void concurrencyKeyAndPoolMustBeKeys() {
    assertRejected(withJobs("{'id':'a','type':'noop','concurrencyKey':'a b','pool':''}"),
        "jobs[0] (id \"a\"): concurrencyKey \"a b\" is not valid: use 1..128 of A-Z a-z 0-9 . _ : / -",
        "jobs[0] (id \"a\"): pool \"\" is not valid: use 1..128 of A-Z a-z 0-9 . _ : / -");
  }

  @Test
  void shellNeedsACommandArgvList() {
    assertRejected(withJobs("{'id':'s','type':'shell'}"),
        "jobs[0] (id \"s\"): config.command is required for a shell job: an argv list such as [\"python3\", \"train.py\"]");
    assertRejected(withJobs("{'id':'s','type':'shell','config':{'command':'ls -l'}}"),
        "jobs[0] (id \"s\"): config.command must be a non-empty list of strings, got \"ls -l\"");
    assertRejected(withJobs("{'id':'s','type':'shell','config':{'command':[]}}"),
        "jobs[0] (id \"s\"): config.command must be a non-empty list of strings, got []");
    assertRejected(withJobs("{'id':'s','type':'shell','config':{'command':['ls',1]}}"),
        "jobs[0] (id \"s\"): config.command[1] must be a string, got 1");
    assertRejected(withJobs("{'id':'s','type':'shell','config':{'command':['']}}"),
        "jobs[0] (id \"s\"): config.command[0] (the program) must not be empty");
  }

  @Test
  void shellEnvMustMapToStringsAndWorkingDirBeAString() {
    assertRejected(withJobs("{'id':'s','type':'shell','config':{'command':['ls'],'env':{'A':'1','B':2},'workingDir':3}}"),
        "jobs[0] (id \"s\"): config.env.B must be a string, got 2",
        "jobs[0] (id \"s\"): config.workingDir must be a string, got 3");
    assertRejected(withJobs("{'id':'s','type':'shell','config':{'command':['ls'],'env':['A=1']}}"),
        "jobs[0] (id \"s\"): config.env must be an object of strings, got [\"A=1\"]");
    dag(withJobs("{'id':'s','type':'shell','config':{'command':['ls',''],'env':{'A':'1'},'workingDir':'/tmp'}}"));
  }

  @Test
  void sleepNeedsANonNegativeIntegerMs() {
    assertRejected(withJobs("{'id':'z','type':'sleep'}"),
        "jobs[0] (id \"z\"): config.ms is required for a sleep job: how long to sleep, in milliseconds");
    assertRejected(withJobs("{'id':'z','type':'sleep','config':{'ms':-5}}"),
        "jobs[0] (id \"z\"): config.ms must be a non-negative integer, got -5");
    assertRejected(withJobs("{'id':'z','type':'sleep','config':{'ms':'5s'}}"),
        "jobs[0] (id \"z\"): config.ms must be a non-negative integer, got \"5s\"");
    dag(withJobs("{'id':'z','type':'sleep','config':{'ms':0,'output':[1]}}"));
  }

  @Test
  void failTimesAndMessageAreChecked() {
    assertRejected(withJobs("{'id':'f','type':'fail','config':{'times':1.5,'message':false}}"),
        "jobs[0] (id \"f\"): config.times must be a non-negative integer, got 1.5",
        "jobs[0] (id \"f\"): config.message must be a string, got false");
    dag(withJobs("{'id':'f','type':'fail'}", "{'id':'g','type':'fail','config':{'times':2,'message':'boom'}}"));
  }

  @Test
  void noopAndCustomTypesTakeAnyConfig() {
    dag(withJobs("{'id':'n','type':'noop','config':{'output':{'x':1},'anything':true}}",
        "{'id':'c','type':'my-type','config':{'command':5}}"));
  }

  @Test
  void programmaticDocumentsAreCheckedToo() {
    DagDocument document = new DagDocument("w", null, null, null, java.util.Arrays.asList(
        new JobSpec("a", "noop", null, null, null, null, null, null, null, null, null,
            com.fasterxml.jackson.databind.node.TextNode.valueOf("x")),
        null));
    DagValidationException e = assertThrows(DagValidationException.class, () -> Dag.of(document));
    assertEquals(List.of("jobs[0] (id \"a\"): config must be an object, got \"x\"", "jobs[1]: a job must be a JSON object, got null"),
        e.details());
  }

  @Test
  void everyProblemIsReportedAtOnceAndTheMessageSumsThemUp() {
    DagValidationException e = assertRejected(
        json("{'workflowId':'w w','jobs':[{'id':'a','type':'noop','priority':11},{'id':'b','type':'noop','maxRetries':30,'dependsOn':['x']}]}"),
        "workflowId \"w w\" is not valid: use 1..128 of A-Z a-z 0-9 . _ -",
        "jobs[0] (id \"a\"): priority 11 is outside 1..10 (10 is most urgent)",
        "jobs[1] (id \"b\"): maxRetries 30 is outside 0..20",
        "jobs[1] (id \"b\"): dependsOn names unknown job \"x\"");
    assertEquals(4, e.details().size());
    assertEquals("Invalid DAG: workflowId \"w w\" is not valid: use 1..128 of A-Z a-z 0-9 . _ - (and 3 more problems, see details).",
        e.getMessage());
  }

  @Test
  void aSingleProblemIsTheWholeMessage() {
    DagValidationException e = assertRejected(withJobs("{'id':'train','type':'noop','priority':11}"));
    assertEquals("Invalid DAG: jobs[0] (id \"train\"): priority 11 is outside 1..10 (10 is most urgent).", e.getMessage());
  }

  @Test
  void aFloodOfProblemsIsCappedInTheDetails() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      jobs.add("{'id':'j" + i + "','type':'noop','priority':0}");
    }
    DagValidationException e = assertRejected(withJobs(jobs.toArray(String[]::new)));
    assertEquals(DagValidationException.MAX_DETAILS + 1, e.details().size());
    assertEquals("... and 400 more problems", e.details().get(DagValidationException.MAX_DETAILS));
    assertTrue(e.getMessage().contains("(and 499 more problems, see details)"), e.getMessage());
  }
}
