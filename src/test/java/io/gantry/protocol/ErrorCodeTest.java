package io.gantry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/** Error replies cross the cluster as "CODE: message" text: what is written reads back to the same code. */
class ErrorCodeTest {

  @Test
  void aReplyCarriesTheCodeAndReadsBack() {
    StatusReply<String> reply = ErrorCode.NOT_FOUND.reply("worker w1 is not registered");
    assertTrue(reply.isError());
    assertEquals("NOT_FOUND: worker w1 is not registered", reply.getError().getMessage());
    ErrorCode.Coded read = ErrorCode.parse(reply.getError().getMessage());
    assertEquals(ErrorCode.NOT_FOUND, read.code());
    assertEquals("worker w1 is not registered", read.message());
    assertEquals("NOT_FOUND: worker w1 is not registered", read.format());
  }

  @Test
  void everyCodeRoundTrips() {
    for (ErrorCode code : ErrorCode.values()) {
      ErrorCode.Coded read = ErrorCode.parse(code.format("a: message: with colons"));
      assertEquals(code, read.code());
      assertEquals("a: message: with colons", read.message());
      assertEquals(Optional.of(code), ErrorCode.of(code.name()));
    }
  }

  @Test
  void textWithoutAKnownCodeIsInternalAndWhole() {
    assertEquals(new ErrorCode.Coded(ErrorCode.INTERNAL, "Ask timed out: no answer"),
        ErrorCode.parse("Ask timed out: no answer"));
    assertEquals(new ErrorCode.Coded(ErrorCode.INTERNAL, "NOPE: unknown code"), ErrorCode.parse("NOPE: unknown code"));
    assertEquals(new ErrorCode.Coded(ErrorCode.INTERNAL, "no colon at all"), ErrorCode.parse("no colon at all"));
    assertEquals(new ErrorCode.Coded(ErrorCode.INTERNAL, ""), ErrorCode.parse(null));
    assertEquals(Optional.empty(), ErrorCode.of("not_found"));
    assertEquals(Optional.empty(), ErrorCode.of(null));
  }

  @Test
  void theStatusesAreThoseOfTheApi() {
    // API.md §3: 400 bad input, 401 token, 404, 409 conflict and stale attempt, 413, 503 not ready or Redis down.
    assertEquals(404, ErrorCode.NOT_FOUND.httpStatus());
    assertEquals(409, ErrorCode.CONFLICT.httpStatus());
    assertEquals(409, ErrorCode.STALE_ATTEMPT.httpStatus());
    assertEquals(400, ErrorCode.INVALID_DAG.httpStatus());
    assertEquals(400, ErrorCode.INVALID_JSON.httpStatus());
    assertEquals(400, ErrorCode.BAD_REQUEST.httpStatus());
    assertEquals(503, ErrorCode.UNAVAILABLE.httpStatus());
    assertEquals(500, ErrorCode.INTERNAL.httpStatus());
    assertEquals(401, ErrorCode.UNAUTHORIZED.httpStatus());
    assertEquals(413, ErrorCode.PAYLOAD_TOO_LARGE.httpStatus());
    for (ErrorCode code : ErrorCode.values()) {
      int s = code.httpStatus();
      assertTrue(s == 400 || s == 401 || s == 404 || s == 405 || s == 409 || s == 413 || s == 415 || s == 500
          || s == 503, code + " answers " + s);
    }
  }
}
