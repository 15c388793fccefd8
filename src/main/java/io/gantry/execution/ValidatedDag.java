package io.gantry.execution;

import io.gantry.dag.Dag;
import io.gantry.execution.ExecutionEvent.Submitted;

/**
 * The Dag an entity built when it validated a submission, handed to the event handler that applies the
 * {@link Submitted} event stored for it, so a 1,000-job document is indexed once, not twice. Only for that very
 * document object: on replay the event handler builds the Dag from the stored document. Owned by the entity's thread.
 */
final class ValidatedDag {
  private Dag dag;

  /** The Dag of the submission about to be stored. */
  void hold(Dag validated) {
    dag = validated;
  }

  /** The held Dag when {@code event} is the submission it was built for (then it is held no more), else null. */
  Dag takeFor(ExecutionEvent event) {
    Dag held = dag;
    if (held == null || !(event instanceof Submitted s) || s.document() != held.document()) {
      return null;
    }
    dag = null;
    return held;
  }
}
