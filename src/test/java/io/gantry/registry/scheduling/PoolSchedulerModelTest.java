package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static io.gantry.registry.scheduling.WorkerBuilder.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of every operation, run against {@link PoolScheduler} and the linear-scan
 * {@link ReferenceScheduler}: each dispatch must give the same assignments in the same order, and
 * queues, running sets and explanations must agree throughout.
 */
class PoolSchedulerModelTest {
  private static final long AGING = 1_000;
  private static final String[][] CAPABILITY_SETS = {{}, {"cpu"}, {"gpu"}, {"cpu", "ssd"}, {"gpu", "high-memory"}};
  private static final String[] KEYS = {null, null, null, "k1", "k2", "k3"};
  private static final String[] TYPES = {"shell", "shell", "python"};

  static Stream<Long> seeds() {
    return Stream.iterate(1L, s -> s + 1).limit(40);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void agreesWithTheReferenceModel(long seed) {
    Random random = new Random(seed);
    PoolScheduler scheduler = new PoolScheduler(AGING, 0);
    ReferenceScheduler reference = new ReferenceScheduler(AGING);
    long now = 0;
    int nextAttempt = 0;
    for (int step = 0; step < 600; step++) {
      now += random.nextInt(300);
      int op = random.nextInt(100);
      if (op < 8) {
        WorkerProfile profile = randomWorker(random);
        scheduler.upsertWorker(profile);
        reference.upsertWorker(profile);
      } else if (op < 10) {
        String id = "w" + random.nextInt(8);
        scheduler.removeWorker(id);
        reference.removeWorker(id);
      } else if (op < 14) {
        String id = "w" + random.nextInt(8);
        int credit = random.nextInt(4);
        scheduler.setPullCredit(id, credit);
        reference.setPullCredit(id, credit);
      } else if (op < 18) {
        String id = "w" + random.nextInt(8);
        int load = random.nextInt(5);
        scheduler.setReportedLoad(id, load);
        reference.setReportedLoad(id, load);
      } else if (op < 50) {
        QueuedAttempt attempt = randomAttempt(random, "a" + nextAttempt++, now);
        assertEquals(reference.offer(attempt), scheduler.offer(attempt));
      } else if (op < 55) {
        String id = pick(random, reference.queuedIds());
        assertEquals(reference.withdraw(id), scheduler.withdraw(id));
      } else if (op < 57) {
        QueuedAttempt again = randomAttempt(random, pick(random, reference.runningIds()), now);
        assertEquals(reference.offer(again), scheduler.offer(again));
      } else if (op < 75) {
        String id = pick(random, reference.runningIds());
        assertEquals(reference.release(id), scheduler.release(id));
      } else if (op < 76) {
        assertEquals(reference.drain(), ids(scheduler.drain()));
      } else if (op < 78) {
        boolean pause = random.nextInt(3) == 0;
        reference.pause(pause);
        if (pause) {
          scheduler.pause();
        } else {
          scheduler.resume();
        }
      } else {
        List<String> expected = Dispatched.pairs(reference.dispatch(now));
        assertEquals(expected, Dispatched.pairs(scheduler.dispatch(now)), "seed " + seed + " step " + step);
      }
      assertEquals(sorted(reference.queuedIds()), sorted(ids(scheduler.queued(Integer.MAX_VALUE))));
      String probe = pick(random, reference.queuedIds());
      assertEquals(reference.explain(probe), scheduler.explain(probe, now), "explain " + probe);
    }
  }

  private static WorkerProfile randomWorker(Random random) {
    String[] caps = CAPABILITY_SETS[random.nextInt(CAPABILITY_SETS.length)];
    String[] allCaps = Stream.concat(Stream.of(caps), random.nextBoolean() ? Stream.of("cpu") : Stream.empty())
        .distinct().toArray(String[]::new);
    WorkerBuilder builder = worker("w" + random.nextInt(8))
        .caps(allCaps)
        .slots(random.nextInt(4))
        .memory(8 << random.nextInt(3))
        .gpus(random.nextInt(3));
    if (random.nextInt(4) == 0) {
      builder.types("python");
    }
    if (random.nextInt(3) == 0) {
      builder.pull();
    }
    return builder.build();
  }

  private static QueuedAttempt randomAttempt(Random random, String id, long now) {
    AttemptBuilder builder = attempt(id)
        .needs(CAPABILITY_SETS[random.nextInt(CAPABILITY_SETS.length)])
        .priority(1 + random.nextInt(10))
        .at(now - random.nextInt((int) (4 * AGING)))
        .key(KEYS[random.nextInt(KEYS.length)])
        .type(TYPES[random.nextInt(TYPES.length)]);
    if (random.nextInt(4) == 0) {
      builder.memory(16);
    }
    if (random.nextInt(5) == 0) {
      builder.requireGpu();
    }
    return builder.build();
  }

  private static String pick(Random random, List<String> ids) {
    return ids.isEmpty() ? "none" : ids.get(random.nextInt(ids.size()));
  }

  private static List<String> ids(List<QueuedAttempt> attempts) {
    return attempts.stream().map(QueuedAttempt::attemptId).toList();
  }

  private static List<String> sorted(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    copy.sort(null);
    return copy;
  }
}
