package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLI reads answers into the API's records: a newer server's additions don't break it, a wrong shape fails. */
class NewerServerTest {
  @RegisterExtension
  final FakeGantry gantry = new FakeGantry();

  @Test
  void unknownFieldsAndStatusesAreShownAsFarAsTheyAreKnown() {
    gantry.on("GET /execute/e1/status", 200, """
        {"executionId":"e1","workflowId":"wf","status":"running","startedAt":1700000000000,"tenant":{"id":7},
         "jobs":{"a":{"status":"completed","attempts":1,"workerId":"w1","cost":3},
                 "b":{"status":"hibernating","attempts":2,"workerId":"w2"}},
         "jobResults":{"a":{"jobId":"a","success":true,"output":{"n":1},"energy":0.5}}}""");

    CliRun r = gantry.run("status", "e1");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("execution e1  workflow wf  status running"), r.out());
    assertTrue(r.out().matches("(?s).*\\ba\\s+completed\\s+1\\s+w1\\s+\\{\"n\":1\\}.*"), r.out());
    assertTrue(r.out().matches("(?s).*\\bb\\s+2\\s+w2.*"), "an unknown job status shows blank: " + r.out());
  }

  @Test
  void anAnswerOfAnotherShapeIsAFailureThatSaysSo() {
    gantry.on("GET /execute/e1/status", 200, "[1, 2, 3]");

    CliRun r = gantry.run("status", "e1");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("not the expected ExecutionState"), r.err());
  }

  @Test
  void errorDetailsThatAreObjectsArePrintedAsJson() {
    gantry.on("POST /execute/e1/cancel", 409, """
        {"error":{"code":"LOCK_HELD","message":"held","details":[{"owner":"x","expiresAt":5}],"hint":"wait"}}""");

    CliRun r = gantry.run("cancel", "e1");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("LOCK_HELD: held"), r.err());
    assertTrue(r.err().contains("- {\"owner\":\"x\",\"expiresAt\":5}"), r.err());
  }
}
