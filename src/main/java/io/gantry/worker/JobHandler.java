package io.gantry.worker;

/**
 * The SPI a worker node runs jobs through: one handler per job {@code type}.
 *
 * <p>{@link #run} is called on the worker's bounded job dispatcher, never on an actor thread, so it
 * may block (a process, a sleep, a network call). It must return soon after {@link JobContext#isCancelled()}
 * becomes true (cancel, timeout or shutdown). Throwing counts as a failed attempt with the exception's message.
 *
 * <p>Register custom handlers in configuration: {@code gantry.worker.handlers { my-type = "com.acme.MyHandler" }}
 * (a public class with a no-argument constructor).
 */
public interface JobHandler {

  /** Runs one attempt of a job and says how it ended. */
  JobOutcome run(JobContext context) throws Exception;
}
