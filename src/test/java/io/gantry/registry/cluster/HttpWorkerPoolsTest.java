package io.gantry.registry.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.redis.GantryRedis;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool each HTTP worker joined is found by any API node (here: a second directory with an empty cache). */
class HttpWorkerPoolsTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").build();

  HttpWorkerPools directory() {
    return new HttpWorkerPools(GantryRedis.get(node.system()));
  }

  @Test
  void aWorkersPoolIsRecordedForEveryNodeAndForgottenWhenItLeaves() {
    HttpWorkerPools here = directory();
    assertNull(Await.result(here.poolOf("w-unknown")), "never registered");
    Await.result(here.remember("w1", "gpu-pool"));
    assertEquals(List.of("gpu-pool"), List.copyOf(here.seenPools()));

    HttpWorkerPools elsewhere = directory();
    assertEquals(List.of(), List.copyOf(elsewhere.seenPools()), "another node has not seen it yet");
    assertEquals("gpu-pool", Await.result(elsewhere.poolOf("w1")), "read from Redis");
    assertEquals(List.of("gpu-pool"), List.copyOf(elsewhere.seenPools()), "and cached");

    Await.result(here.remember("w1", "default"));
    assertEquals("default", Await.result(directory().poolOf("w1")), "a worker that moved is found in its new pool");

    Await.result(here.forget("w1"));
    assertNull(Await.result(directory().poolOf("w1")));
    assertTrue(here.seenPools().isEmpty(), "forgotten here at once");
    assertTrue(here.redisAddress().contains(":"), "host:port for messages");
  }
}
