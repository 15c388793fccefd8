package io.gantry.decision;

import static io.gantry.decision.TestRun.jobWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.decision.Decision.RetryAt;
import io.gantry.protocol.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Found by HttpFuzzTest: a backoff the document allows (Long.MAX_VALUE ms) wrapped the retry time into the past. */
class DeciderHugeBackoffTest {

  @Test
  void aRetryBeyondTheEndOfTimeIsDueAtTheEndOfTimeNotInThePast() {
    String backoff = "'maxRetries':1,'backoff':{'initialMs':" + Long.MAX_VALUE + ",'multiplier':2.0,'maxMs':"
        + Long.MAX_VALUE + "}";
    TestRun run = TestRun.of(jobWith("a", backoff)).inFlight("a", JobStatus.RUNNING, 1);
    long now = System.currentTimeMillis();
    assertEquals(List.of(new RetryAt("a", Long.MAX_VALUE)), Decider.afterFailure(run, run.index("a"), now));
  }
}
