package io.gantry.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;

/**
 * What one benchmark run cost, per event: CPU time of this JVM, CPU time of Redis (from INFO) and
 * Redis commands (a script call counts as one). On a shared machine the events/s move with the load
 * of others; these costs move much less, so they show what a change saves.
 */
final class CostMeter implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> redis;
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long jvmCpuNanos;
  private double redisCpuSeconds;
  private long redisCommands;

  CostMeter(String url) {
    this.client = RedisClient.create(url);
    this.redis = client.connect();
  }

  void start() {
    jvmCpuNanos = os.getProcessCpuTime();
    redisCpuSeconds = redisCpu();
    redisCommands = redisCommands();
  }

  /** "jvm cpu X us/event, redis cpu Y us/event, Z events/call" since {@link #start()}. */
  String stop(int events) {
    double jvm = (os.getProcessCpuTime() - jvmCpuNanos) / 1e3 / events;
    double redisCpu = (redisCpu() - redisCpuSeconds) * 1e6 / events;
    // Minus the two INFO calls of this meter.
    long commands = redisCommands() - redisCommands - 2;
    return String.format("cpu/event: jvm %5.1f us, redis %5.1f us; events per Redis command %5.2f",
        jvm, redisCpu, events / (double) Math.max(1, commands));
  }

  private double redisCpu() {
    String info = redis.sync().info("cpu");
    return field(info, "used_cpu_user") + field(info, "used_cpu_sys");
  }

  private long redisCommands() {
    return (long) field(redis.sync().info("stats"), "total_commands_processed");
  }

  private static double field(String info, String name) {
    for (String line : info.split("\\r?\\n")) {
      if (line.startsWith(name + ":")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new IllegalStateException("no " + name + " in Redis INFO");
  }

  @Override
  public void close() {
    redis.close();
    client.shutdown();
  }
}
