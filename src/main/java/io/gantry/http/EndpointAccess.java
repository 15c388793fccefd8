package io.gantry.http;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which roles may call an endpoint, decided from its method and path before routing, so that every route (those
 * added later included) falls in a class; what is not named is admin only. The classes (API.md "Tokens and roles"):
 * <ul>
 *   <li>open, no token: GET {@code /}, {@code /ui/...} (HTML pages; their data comes from the API), {@code
 *   /health/live}, {@code /health/ready} (probes);
 *   <li>monitoring, every role: GET {@code /health/...} and {@code /metrics};
 *   <li>read (admin, submit, read): every other GET, but locks;
 *   <li>locks (admin, submit, worker; GET also read): {@code /locks/...}, for jobs and external tools;
 *   <li>worker protocol (admin, worker): POST {@code /workers/register}, {@code /workers/{id}/heartbeat}, {@code
 *   /poll}, {@code /jobs/...}, DELETE {@code /workers/{id}};
 *   <li>submit and control (admin, submit): POST under {@code /execute/} and {@code /queue/};
 *   <li>admin: POST {@code /queue/clean} (forgets finished executions) and anything else.
 * </ul>
 */
final class EndpointAccess {

  /** A class of endpoints and the roles that may call it; {@link #OPEN} needs no token at all. */
  enum Endpoints {
    OPEN("open endpoints", EnumSet.allOf(Role.class)),
    MONITORING("health and metrics", EnumSet.allOf(Role.class)),
    READ("reading executions, the queue and workers", EnumSet.of(Role.ADMIN, Role.SUBMIT, Role.READ)),
    LOCK_READ("reading locks", EnumSet.allOf(Role.class)),
    LOCKS("acquiring, extending and releasing locks", EnumSet.of(Role.ADMIN, Role.SUBMIT, Role.WORKER)),
    WORKER("the worker protocol", EnumSet.of(Role.ADMIN, Role.WORKER)),
    SUBMIT("submitting and controlling executions and the queue", EnumSet.of(Role.ADMIN, Role.SUBMIT)),
    ADMIN("administration", EnumSet.of(Role.ADMIN));

    final String description;
    final Set<Role> allowed;

    Endpoints(String description, Set<Role> allowed) {
      this.description = description;
      this.allowed = allowed;
    }

    boolean allows(Role role) {
      return allowed.contains(role);
    }

    /** "admin or submit", as the 403 says it. */
    String roles() {
      return allowed.stream().map(Role::wireName).collect(Collectors.joining(" or "));
    }
  }

  private EndpointAccess() {}

  static Endpoints of(String method, String path) {
    String[] s = path.split("/", -1); // "/workers/w1/poll" -> "", "workers", "w1", "poll"
    String first = s.length > 1 ? s[1] : "";
    if (method.equals("GET") || method.equals("HEAD")) {
      if (path.equals("/") || path.equals("/health/live") || path.equals("/health/ready") || first.equals("ui")) {
        return Endpoints.OPEN;
      }
      if (first.equals("health") || path.equals("/metrics")) {
        return Endpoints.MONITORING;
      }
      return first.equals("locks") ? Endpoints.LOCK_READ : Endpoints.READ;
    }
    if (first.equals("locks")) {
      return Endpoints.LOCKS;
    }
    if (first.equals("workers") && isWorkerCall(method, s)) {
      return Endpoints.WORKER;
    }
    if (path.equals("/queue/clean")) {
      return Endpoints.ADMIN;
    }
    if (method.equals("POST") && (first.equals("execute") || first.equals("queue"))) {
      return Endpoints.SUBMIT;
    }
    return Endpoints.ADMIN;
  }

  private static boolean isWorkerCall(String method, String[] s) {
    if (method.equals("DELETE")) {
      return s.length == 3 || (s.length == 4 && s[3].isEmpty());
    }
    if (!method.equals("POST") || s.length < 3) {
      return false;
    }
    return s[2].equals("register") || (s.length > 3 && Set.of("heartbeat", "poll", "jobs").contains(s[3]));
  }
}
