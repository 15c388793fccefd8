package io.gantry.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/gantry} as a user would, from the test classpath (Maven packages the jar only after the tests). */
public final class GantryScript {
  private GantryScript() {}

  /** What the command printed (stdout and stderr together) and its exit code. */
  public record Result(int code, String out) {}

  public static Result run(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "bin/gantry";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = environment(new ProcessBuilder(cmd).redirectErrorStream(true)).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "bin/gantry " + String.join(" ", args) + " did not finish");
    return new Result(p.exitValue(), out);
  }

  /**
   * What {@code bin/gantry} needs to run from the test classpath on the test Redis; its JVMs log warnings to stdout
   * (logback-child.xml), not into the test JVM's capturing appender configuration.
   */
  public static ProcessBuilder environment(ProcessBuilder pb) {
    pb.environment().put("GANTRY_RUN_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("GANTRY_REDIS_URL", TestRedisUrl.get());
    pb.environment().put("GANTRY_JAVA_OPTS",
        "-Dlogback.configurationFile=" + GantryScript.class.getResource("/logback-child.xml"));
    return pb;
  }
}
