package io.gantry.execution;

import io.gantry.execution.ExecutionEvent.Submitted;

/**
 * The state of an Execution entity, one type per phase of its life: not submitted yet, active (pending, running or
 * paused), finished (completed, failed or cancelled; a retry makes it active again). Each phase has its own command
 * handlers ({@link EmptyExecutionCommands}, {@link ActiveExecutionCommands}, {@link FinishedExecutionCommands}).
 *
 * <p>The events of a submitted run fold into one mutable {@link RunState} (a 10,000-job DAG is not copied per event);
 * {@link #applied} is the only place that applies them. The empty phase is immutable and each submission starts a
 * fresh RunState, so an entity restarted after a failed write replays into clean state.
 */
sealed interface Phase {

  String executionId();

  /** The run so far; only for a submitted execution. */
  RunState run();

  /** The phase after {@code event}; the event handler, and the only code that changes the state. */
  default Phase applied(ExecutionEvent event) {
    return applied(event, null);
  }

  /**
   * As {@link #applied(ExecutionEvent)}; {@code validated}: the Dag the entity built when it validated the
   * submission being stored (null otherwise), used only for that very document object.
   */
  default Phase applied(ExecutionEvent event, io.gantry.dag.Dag validated) {
    if (event instanceof Submitted submitted) {
      // On replay the Dag is built again from the stored document: the state depends on the events alone. Right
      // after the submission is validated, the Dag built then serves (it was built from the same document object).
      return of(new RunState(executionId()).submitted(submitted, validated));
    }
    if (this instanceof Empty) {
      throw new IllegalStateException(event.getClass().getSimpleName() + " for execution " + executionId()
          + " before its submission");
    }
    RunState run = run();
    if (run.appliedAhead > 0) {
      run.appliedAhead--; // a buffered report's event, applied when it was decided (GroupCommit)
    } else {
      run.apply(event);
    }
    boolean finished = run.status.finished();
    if (finished == (this instanceof Finished)) {
      return this;
    }
    return finished ? new Finished(run) : new Active(run);
  }

  /** The phase of a run rebuilt from a snapshot (or just submitted). */
  static Phase of(RunState run) {
    if (!run.exists()) {
      return new Empty(run.executionId);
    }
    return run.status.finished() ? new Finished(run) : new Active(run);
  }

  /** No submission yet: the entity answers NOT_FOUND to everything but a submit. */
  record Empty(String executionId) implements Phase {
    @Override
    public RunState run() {
      throw new IllegalStateException("execution " + executionId + " is not submitted");
    }
  }

  /** Submitted and not finished: jobs wait, are queued, run or retry; a pause holds new offers back. */
  record Active(RunState run) implements Phase {
    @Override
    public String executionId() {
      return run.executionId;
    }

    /**
     * Applies the event of a report buffered for a group commit ({@link GroupCommit}) now, so that the next report
     * is decided against it; when the batch is written, {@link #applied} skips it. Never an event that ends the run.
     * A batch lost in a crash goes with the entity's state: recovery replays only what was stored.
     */
    void applyAhead(ExecutionEvent event) {
      run.apply(event);
      run.appliedAhead++;
    }
  }

  /** Completed, failed or cancelled; only queries, a retry (failed or cancelled) and checkpoint links remain. */
  record Finished(RunState run) implements Phase {
    @Override
    public String executionId() {
      return run.executionId;
    }
  }
}
