package io.gantry.execution;

import org.apache.pekko.pattern.StatusReply;

/**
 * Why an actor refused a command. Error replies cross the cluster as text, so they carry "CODE: message" and the
 * edge ({@link io.gantry.Gantry}) turns them back into a {@link io.gantry.GantryException} with that code.
 */
public enum Rejection {
  NOT_FOUND, CONFLICT, INVALID_DAG, STALE_ATTEMPT, BAD_REQUEST;

  public <T> StatusReply<T> reply(String message) {
    return StatusReply.error(name() + ": " + message);
  }
}
