package io.gantry.bench;

import com.typesafe.config.ConfigFactory;
import io.gantry.testkit.RedisPrefix;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Throughput and persist latency of the Redis journal under N persistent actors, next to raw Lettuce
 * doing the same writes (ZADD of a ~200-byte payload + SET of the highest sequence nr per event, one
 * shared auto-flushing connection, N writers each waiting for its previous write).
 *
 * <p>Args: redis-url [actors=100] [events-per-actor=1000] [paced-rate=10000] [paced-seconds=5]
 */
public final class RedisPersistenceBench {
  private static final String PAYLOAD = "x".repeat(170);
  /** CPU spent per event by this JVM and by Redis, and Redis commands per event, for each run. */
  private static CostMeter meter;

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379/0";
    int actors = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int perActor = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int pacedRate = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    int pacedSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    String prefix = RedisPrefix.random("bench");
    System.out.printf("Redis %s, %d actors, %d events each, paced run %d events/s for %d s, %d cores%n",
        url, actors, perActor, pacedRate, pacedSeconds, Runtime.getRuntime().availableProcessors());

    meter = new CostMeter(url);
    raw(url, prefix, actors, perActor);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", ConfigFactory.load(ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = WARNING\n"
            + "gantry.redis.url = \"" + url + "\"\n"
            + "gantry.persistence.redis.connection.key-prefix = \"" + prefix + "\"\n")));
    try {
      plugin(system, "warmup", actors, Math.min(perActor, 200));
      plugin(system, "flat-out", actors, perActor);
      paced(system, actors, pacedRate, pacedSeconds);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      meter.close();
    }
  }

  /** Every actor persists as fast as its journal acks allow. */
  private static void plugin(ActorSystem<Void> system, String run, int actors, int perActor) throws Exception {
    long[] latencies = new long[actors * perActor];
    CountDownLatch done = new CountDownLatch(actors * perActor);
    String runId = run + "-" + UUID.randomUUID().toString().substring(0, 8);
    meter.start();
    long start = System.nanoTime();
    for (int a = 0; a < actors; a++) {
      ActorRef<BenchEntity.Persist> entity =
          system.systemActorOf(BenchEntity.create(runId + "-" + a, PAYLOAD, latencies, a * perActor), runId + "-" + a, org.apache.pekko.actor.typed.Props.empty());
      for (int i = 0; i < perActor; i++) {
        entity.tell(new BenchEntity.Persist(done::countDown));
      }
    }
    done.await(5, TimeUnit.MINUTES);
    report("plugin " + run, latencies.length, System.nanoTime() - start, latencies);
  }

  /** A steady rate spread over the actors, to see latency when Redis is not saturated. */
  private static void paced(ActorSystem<Void> system, int actors, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    int perActor = (total + actors - 1) / actors;
    long[] latencies = new long[actors * perActor];
    CountDownLatch done = new CountDownLatch(total);
    String runId = "paced-" + UUID.randomUUID().toString().substring(0, 8);
    @SuppressWarnings("unchecked")
    ActorRef<BenchEntity.Persist>[] entities = new ActorRef[actors];
    for (int a = 0; a < actors; a++) {
      entities[a] = system.systemActorOf(BenchEntity.create(runId + "-" + a, PAYLOAD, latencies, a * perActor), runId + "-" + a, org.apache.pekko.actor.typed.Props.empty());
    }
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    meter.start();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      entities[i % actors].tell(new BenchEntity.Persist(done::countDown));
    }
    done.await(5, TimeUnit.MINUTES);
    report("plugin paced " + rate + "/s", total, System.nanoTime() - start, Arrays.copyOf(compact(latencies), total));
  }

  /** The same writes with Lettuce alone: per event a ZADD of the payload and a SET of the highest sequence nr. */
  private static void raw(String url, String prefix, int writers, int perWriter) throws Exception {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
      RedisAsyncCommands<String, byte[]> redis = connection.async();
      for (String run : new String[] {"warmup", "flat-out"}) {
        int count = run.equals("warmup") ? Math.min(perWriter, 200) : perWriter;
        long[] latencies = new long[writers * count];
        CountDownLatch done = new CountDownLatch(writers);
        meter.start();
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
          new RawWriter(redis, prefix + "raw:" + run + ":{" + w + "}", count, latencies, w * count, done).next();
        }
        done.await(5, TimeUnit.MINUTES);
        report("raw lettuce " + run, latencies.length, System.nanoTime() - start, latencies);
      }
    } finally {
      client.shutdown();
    }
  }

  /** One writer: the next write starts when the previous one is acknowledged, like a persistent actor. */
  private static final class RawWriter {
    private final RedisAsyncCommands<String, byte[]> redis;
    private final String key;
    private final int count;
    private final long[] latencies;
    private final int offset;
    private final CountDownLatch done;
    private int written;

    RawWriter(RedisAsyncCommands<String, byte[]> redis, String key, int count, long[] latencies, int offset, CountDownLatch done) {
      this.redis = redis;
      this.key = key;
      this.count = count;
      this.latencies = latencies;
      this.offset = offset;
      this.done = done;
    }

    void next() {
      if (written == count) {
        done.countDown();
        return;
      }
      long started = System.nanoTime();
      long seq = written + 1;
      byte[] record = (seq + ":" + PAYLOAD + PAYLOAD.substring(0, 30)).getBytes(StandardCharsets.UTF_8);
      redis.zadd(key + ":events", seq, record);
      RedisFuture<String> highest = redis.set(key + ":highest", Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
      highest.thenRun(() -> {
        latencies[offset + written++] = System.nanoTime() - started;
        next();
      });
    }
  }

  private static long[] compact(long[] latencies) {
    return Arrays.stream(latencies).filter(l -> l > 0).toArray();
  }

  private static void report(String name, int events, long elapsedNanos, long[] latencies) {
    long[] sorted = compact(latencies);
    Arrays.sort(sorted);
    double seconds = elapsedNanos / 1e9;
    System.out.printf("%-28s %8d events in %6.2f s = %9.0f events/s   persist latency p50 %6.2f ms  p99 %6.2f ms   %s%n",
        name, events, seconds, events / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), meter.stop(events));
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
  }
}
