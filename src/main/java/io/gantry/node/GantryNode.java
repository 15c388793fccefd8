package io.gantry.node;

/** Starts a node and blocks until it terminates. */
public final class GantryNode {
  private GantryNode() {}

  public static int run(NodeOptions options) {
    throw new UnsupportedOperationException("node start-up lands with the orchestration core");
  }
}
