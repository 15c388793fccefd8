package io.gantry.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Found by HttpFuzzTest: a lone UTF-16 surrogate ("\\ud800") is valid JSON syntax but cannot be written as UTF-8, and
 * a config nested 1000 deep parses but its stored event is deeper than Jackson writes: either made the journal
 * reject the execution's events. Such documents are refused as invalid JSON.
 */
class StorableJsonTest {

  @Test
  void aLoneSurrogateAnywhereInADocumentIsInvalidJson() {
    for (String text : new String[] {"\\ud800", "\\udfff", "a\\ud83d", "\\ude00\\ud83d"}) {
      String doc = "{\"workflowId\": \"w\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", \"config\": {\"output\": "
          + "{\"x\": [\"" + text + "\"]}}}]}";
      DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse(doc), doc);
      assertEquals(DagValidationException.INVALID_JSON, e.code());
      assertTrue(e.getMessage().contains("jobs[0].config.output.x[0]"), e.getMessage());
    }
  }

  @Test
  void aLoneSurrogateInAFieldNameOrInCesuBytesIsFoundToo() throws Exception {
    DagValidationException name = assertThrows(DagValidationException.class, () -> DagParser.parse(
        "{\"workflowId\": \"w\", \"metadata\": {\"\\ud800\": 1}, \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}"));
    assertEquals(DagValidationException.INVALID_JSON, name.code());
    byte[] cesu = "{\"workflowId\": \"w\u0001\"}".getBytes(StandardCharsets.UTF_8);
    int at = new String(cesu, StandardCharsets.UTF_8).indexOf('\u0001');
    byte[] withSurrogate = new byte[cesu.length + 2];
    System.arraycopy(cesu, 0, withSurrogate, 0, at);
    withSurrogate[at] = (byte) 0xed;
    withSurrogate[at + 1] = (byte) 0xa0;
    withSurrogate[at + 2] = (byte) 0x80;
    System.arraycopy(cesu, at + 1, withSurrogate, at + 3, cesu.length - at - 1);
    assertThrows(DagValidationException.class, () -> DagParser.parse(withSurrogate));
  }

  @Test
  void pairedSurrogatesAndOtherUnicodeAreFine() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    assertFalse(StorableJson.problem(mapper.readTree("{\"a\": [\"\\ud83d\\ude00 \u00e9\u202e\\u0000\"]}"))
        .isPresent());
    DagParser.parse("{\"workflowId\": \"w\", \"metadata\": {\"emoji\": \"\\ud83d\\ude00\"}, \"jobs\": [{\"id\": \"a\", "
        + "\"type\": \"noop\"}]}");
  }

  @Test
  void aDocumentNestedDeeperThanItCanBeStoredIsInvalidJson() {
    String deep = "[".repeat(StorableJson.MAX_DEPTH) + "]".repeat(StorableJson.MAX_DEPTH);
    String doc = "{\"workflowId\": \"w\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", \"config\": {\"x\": "
        + deep + "}}]}";
    DagValidationException e = assertThrows(DagValidationException.class, () -> DagParser.parse(doc));
    assertEquals(DagValidationException.INVALID_JSON, e.code());
    assertTrue(e.getMessage().contains("nested more than " + StorableJson.MAX_DEPTH), e.getMessage());
    String fine = "[".repeat(30) + "]".repeat(30); // within the config bound too (DocumentBounds: 32 levels)
    DagParser.parse("{\"workflowId\": \"w\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\", \"config\": {\"x\": "
        + fine + "}}]}");
  }
}
