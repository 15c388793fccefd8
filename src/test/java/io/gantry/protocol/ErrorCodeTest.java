package io.gantry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/** The error codes' wire form: what actors reply is what the edge reads back, with the HTTP status of API.md §3. */
class ErrorCodeTest {

  @Test
  void aReplyReadsBackAsItsCodeAndMessage() {
    for (ErrorCode code : ErrorCode.values()) {
      StatusReply<Object> reply = code.reply("execution x: it is completed");
      assertTrue(reply.isError());
      assertEquals(code.name() + ": execution x: it is completed", reply.getError().getMessage());
      // As a failed askWithStatus sees it: the error inside a CompletionException.
      assertEquals(code, ErrorCode.parse(new CompletionException(reply.getError())));
      GantryException back = GantryException.fromReply(reply.getError().getMessage());
      assertEquals(code, back.errorCode());
      assertEquals(code.name(), back.code());
      assertEquals("execution x: it is completed", back.getMessage());
    }
  }

  @Test
  void aTextWithoutAKnownCodeIsInternalAndKeepsItsWholeText() {
    for (String text : new String[] {"boom", "NOT_A_CODE: boom", "not found: boom", ": boom"}) {
      GantryException e = GantryException.fromReply(text);
      assertEquals(ErrorCode.INTERNAL, e.errorCode(), text);
      assertEquals(text, e.getMessage());
    }
    assertEquals(ErrorCode.INTERNAL, ErrorCode.parse(new IllegalStateException()));
  }

  @Test
  void theWireCodesKeepTheirHttpStatus() {
    assertEquals(404, ErrorCode.NOT_FOUND.httpStatus());
    assertEquals(409, ErrorCode.CONFLICT.httpStatus());
    assertEquals(409, ErrorCode.STALE_ATTEMPT.httpStatus());
    assertEquals(400, ErrorCode.INVALID_DAG.httpStatus());
    assertEquals(400, ErrorCode.INVALID_JSON.httpStatus());
    assertEquals(400, ErrorCode.BAD_REQUEST.httpStatus());
    assertEquals(401, ErrorCode.UNAUTHORIZED.httpStatus());
    assertEquals(413, ErrorCode.PAYLOAD_TOO_LARGE.httpStatus());
    assertEquals(503, ErrorCode.UNAVAILABLE.httpStatus());
    assertEquals(500, ErrorCode.INTERNAL.httpStatus());
  }
}
