package io.gantry.dag;

import static io.gantry.dag.Documents.json;
import static io.gantry.dag.Documents.withJobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagParserTest {

  private static final String API_EXAMPLE = json("""
      {
        'workflowId': 'train-resnet',
        'executionId': 'optional-client-id',
        'priority': 5,
        'metadata': {'team': 'vision'},
        'jobs': [
          {'id': 'prep',  'type': 'shell', 'config': {'command': ['python3', 'prep.py']}},
          {'id': 'train', 'type': 'shell', 'dependsOn': ['prep'], 'priority': 8,
           'maxRetries': 3, 'backoff': {'initialMs': 5000, 'multiplier': 2.0, 'maxMs': 300000},
           'timeoutMs': 3600000, 'requiredCapabilities': ['gpu'],
           'requirements': {'minMemoryGB': 16, 'minCpuCores': 4, 'requireGpu': true},
           'concurrencyKey': 'model-registry', 'config': {'command': ['python3', 'train.py']}},
          {'id': 'eval',  'type': 'noop', 'dependsOn': ['train']}
        ]
      }""");

  @Test
  void parsesTheApiExample() {
    DagDocument document = DagParser.parse(API_EXAMPLE);
    assertEquals("train-resnet", document.workflowId());
    assertEquals("optional-client-id", document.executionId());
    assertEquals(5, document.priority());
    assertEquals("vision", document.metadata().get("team").asText());
    assertEquals(3, document.jobs().size());
    JobSpec train = document.jobs().get(1);
    assertEquals(new JobSpec(
        "train", "shell", List.of("prep"), 8, 3, new Backoff(5000, 2.0, 300000), 3_600_000L, List.of("gpu"),
        new Requirements(16.0, 4, true, null), "model-registry", null,
        new ObjectMapper().createObjectNode().set("command", new ObjectMapper().valueToTree(List.of("python3", "train.py")))),
        train);
    JobSpec prep = document.jobs().get(0);
    assertNull(prep.priority());
    assertNull(prep.dependsOn());
    assertNull(prep.backoff());
  }

  @Test
  void bytesAndStringsParseAlike() {
    assertEquals(DagParser.parse(API_EXAMPLE), DagParser.parse(API_EXAMPLE.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void missingBackoffPartsTakeTheDefaults() {
    JobSpec job = DagParser.parse(withJobs("{'id':'a','type':'noop','backoff':{'initialMs':100}}")).jobs().get(0);
    assertEquals(new Backoff(100, 2.0, 300_000), job.backoff());
  }

  @Test
  void wholeFloatsAreAcceptedAsIntegersAndNullMeansNotGiven() {
    JobSpec job = DagParser.parse(withJobs("{'id':'a','type':'noop','priority':7.0,'pool':null}")).jobs().get(0);
    assertEquals(7, job.priority());
    assertNull(job.pool());
  }

  @Test
  void malformedJsonIsInvalidJsonWithItsPosition() {
    DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse("{\"workflowId\": \"w\",\n }"));
    assertEquals(DagValidationException.INVALID_JSON, e.code());
    assertTrue(e.getMessage().startsWith("The body is not valid JSON: "), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("com.fasterxml"), e.getMessage());
    assertEquals(1, e.details().size());
  }

  @Test
  void emptyBodyAndTrailingGarbageAndDuplicateKeysAreInvalidJson() {
    for (String body : List.of("", "   ", withJobs("{'id':'a','type':'noop'}") + " {}", json("{'workflowId':'a','workflowId':'b'}"))) {
      DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse(body), body);
      assertEquals(DagValidationException.INVALID_JSON, e.code(), body);
    }
    DagValidationException duplicate =
        assertThrows(DagValidationException.class, () -> DagParser.parse(json("{'workflowId':'a','workflowId':'b'}")));
    assertTrue(duplicate.getMessage().contains("workflowId"), duplicate.getMessage());
  }

  @Test
  void aDocumentThatIsNotAnObjectIsRejected() {
    DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse("[1,2]"));
    assertEquals(DagValidationException.INVALID_DAG, e.code());
    assertEquals(List.of("the document must be a JSON object, got [1,2]"), e.details());
  }

  @Test
  void wrongTypesAreAllReportedNamingJobAndField() {
    DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse(json("""
        {'workflowId': 7, 'priority': 'high', 'metadata': [],
         'jobs': [
           {'id': 'a', 'type': 'noop', 'priority': 'high', 'dependsOn': 'b'},
           {'id': 'b', 'type': 'noop', 'dependsOn': ['a', 3], 'timeoutMs': 1.5, 'config': 'x'},
           {'id': 'c', 'type': 'noop', 'backoff': {'multiplier': 'fast'},
            'requirements': {'requireGpu': 'yes', 'minCpuCores': 99999999999}},
           42
         ]}""")));
    assertEquals(DagValidationException.INVALID_DAG, e.code());
    assertEquals(List.of(
        "workflowId must be a string, got 7",
        "priority must be an integer, got \"high\"",
        "metadata must be an object, got []",
        "jobs[0] (id \"a\"): dependsOn must be a list of strings, got \"b\"",
        "jobs[0] (id \"a\"): priority must be an integer, got \"high\"",
        "jobs[1] (id \"b\"): dependsOn[1] must be a string, got 3",
        "jobs[1] (id \"b\"): timeoutMs must be an integer, got 1.5",
        "jobs[1] (id \"b\"): config must be an object, got \"x\"",
        "jobs[2] (id \"c\"): backoff.multiplier must be a number, got \"fast\"",
        "jobs[2] (id \"c\"): requirements.minCpuCores 99999999999 is out of range",
        "jobs[2] (id \"c\"): requirements.requireGpu must be true or false, got \"yes\"",
        "jobs[3]: a job must be a JSON object, got 42"), e.details());
    assertTrue(e.getMessage().startsWith("Invalid DAG: workflowId must be a string, got 7 (and 11 more problems"), e.getMessage());
  }

  @Test
  void unknownJobFieldIsRejectedNamingFieldAndJobWithASuggestion() {
    DagValidationException e = assertThrows(DagValidationException.class,
        () -> DagParser.parse(withJobs("{'id':'a','type':'noop'}", "{'id':'train','type':'noop','dependson':['a']}")));
    assertEquals(1, e.details().size());
    String detail = e.details().get(0);
    assertTrue(detail.startsWith("jobs[1] (id \"train\"): unknown field \"dependson\" (did you mean \"dependsOn\"?); known fields: id, type, dependsOn"), detail);
    assertTrue(e.getMessage().contains("dependson"), e.getMessage());
  }

  @Test
  void unknownTopLevelAndNestedFieldsAreRejected() {
    DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse(json("""
        {'workflowId':'w','priority':5,'owner':'me','jobs':[
          {'id':'a','type':'noop','backoff':{'initialMS':1},'requirements':{'gpus':1}}]}""")));
    List<String> details = e.details();
    assertEquals(3, details.size(), details::toString);
    assertTrue(details.get(0).startsWith("unknown field \"owner\"; known fields: workflowId, executionId"), details.get(0));
    assertTrue(details.get(1).startsWith("jobs[0] (id \"a\"): unknown field \"backoff.initialMS\" (did you mean \"initialMs\"?)"), details.get(1));
    assertTrue(details.get(2).startsWith("jobs[0] (id \"a\"): unknown field \"requirements.gpus\""), details.get(2));
  }

  @Test
  void parseJobReadsOneJobAndNamesIt() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JobSpec job = DagParser.parseJob(mapper.readTree(json("{'id':'one','type':'sleep','config':{'ms':5}}")));
    assertEquals("one", job.id());
    assertEquals(5, job.config().get("ms").asInt());
    DagValidationException e = assertThrows(DagValidationException.class,
        () -> DagParser.parseJob(mapper.readTree(json("{'id':'one','type':'sleep','maxRetries':'x'}"))));
    assertEquals(List.of("job (id \"one\"): maxRetries must be an integer, got \"x\""), e.details());
  }

  @Test
  void aCustomMapperCanBeUsed() {
    DagDocument document = DagParser.parse(API_EXAMPLE, new ObjectMapper());
    assertEquals("train-resnet", document.workflowId());
  }
}
