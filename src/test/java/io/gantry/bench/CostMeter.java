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
  private long scriptCalls;

  CostMeter(String url) {
    this.client = RedisClient.create(url);
    this.redis = client.connect();
  }

  void start() {
    jvmCpuNanos = os.getProcessCpuTime();
    redisCpuSeconds = redisCpu();
    redisCommands = redisCommands();
    scriptCalls = scriptCalls();
  }

  /** CPU per event of the JVM and of Redis, Redis commands and script calls per event, since {@link #start()}. */
  String stop(int events) {
    double jvm = (os.getProcessCpuTime() - jvmCpuNanos) / 1e3 / events;
    double redisCpu = (redisCpu() - redisCpuSeconds) * 1e6 / events;
    // Redis counts the commands a script runs, too. Minus the INFO calls of this meter.
    long commands = redisCommands() - redisCommands - 3;
    long scripts = scriptCalls() - scriptCalls;
    return String.format("per event: cpu jvm %5.1f us, redis %5.1f us; Redis commands %4.2f, script calls %5.3f",
        jvm, redisCpu, commands / (double) events, scripts / (double) events);
  }

  private long scriptCalls() {
    long calls = 0;
    for (String line : redis.sync().info("commandstats").split("\\r?\\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        calls += Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
      }
    }
    return calls;
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
