package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Found by HttpFuzzTest: {"checkpointId": "\\ud800"} was stored as it came, and the journal then rejected the event
 * (a lone surrogate cannot be written as UTF-8): the request hung until the ask timed out and the execution stopped.
 * Every JSON body is now refused with a 400 when a string in it is not valid Unicode, or when it nests so deep that
 * what stores it could not be written (a queue job's config 990 deep did the same).
 */
class JsonSupportStorableTest {
  private final JsonSupport json = new JsonSupport(new ObjectMapper());

  @Test
  void aLoneSurrogateInATypedBodyIsA400() {
    ApiException e = assertThrows(ApiException.class,
        () -> json.read("{\"checkpointId\": \"\\ud800\"}", ExecutionRoutes.CheckpointRequest.class));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("checkpointId"), e.getMessage());
  }

  @Test
  void aLoneSurrogateInATreeBodyIsA400() {
    ApiException e = assertThrows(ApiException.class,
        () -> json.read("{\"jobs\": [{\"type\": \"noop\", \"metadata\": {\"k\": \"x\\udc00\"}}]}", JsonNode.class));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("jobs[0].metadata.k"), e.getMessage());
  }

  @Test
  void aBodyNestedDeeperThanItCanBeStoredIsA400() {
    String deep = "{\"type\": \"noop\", \"config\": {\"output\": " + "[".repeat(990) + "]".repeat(990) + "}}";
    ApiException e = assertThrows(ApiException.class, () -> json.read(deep, JsonNode.class));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("config.output"), e.getMessage());
  }

  @Test
  void validBodiesReadAsBefore() {
    assertEquals("\ud83d\ude00", json.read("{\"checkpointId\": \"\\ud83d\\ude00\"}",
        ExecutionRoutes.CheckpointRequest.class).checkpointId());
    ApiException nul = assertThrows(ApiException.class, () -> json.read("null",
        ExecutionRoutes.CheckpointRequest.class));
    assertEquals(400, nul.status());
    ApiException unknown = assertThrows(ApiException.class, () -> json.read("{\"nope\": 1}",
        LockRoutes.ExtendRequest.class));
    assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
  }
}
