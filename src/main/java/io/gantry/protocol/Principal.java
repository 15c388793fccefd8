package io.gantry.protocol;

/**
 * Who asked for an action on an execution, as its audit trail records it: the name of the HTTP token and its role
 * ({@code admin}, {@code submit}, {@code read}, {@code worker}), never the token itself. Callers that hold no token
 * are {@link #ACTOR_API} (a Java/Pekko application in the cluster) or {@link #ANONYMOUS} (a node with no token
 * configured, where every caller may do everything).
 */
public record Principal(String name, String role) implements CborSerializable {
  public static final Principal ACTOR_API = new Principal("actor-api", "admin");
  public static final Principal ANONYMOUS = new Principal("anonymous", "admin");
}
