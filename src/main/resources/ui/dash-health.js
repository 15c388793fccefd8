// The line at the top of the dashboard when something is unhealthy: GET /health/ready (this node Up in the cluster,
// Redis answering), GET /health/state (Gantry's and the journal's Redis, and their warnings: persistence that may
// lose state, the API open with no token), cluster workers whose node is unreachable and HTTP workers gone silent
// (from the workers panel), and an API that does not answer at all. Empty and hidden when all is well.
import { apiFetch } from "./api.js";
import { $, el } from "./dash-common.js";
import { workers } from "./dash-workers.js";

let apiProblem = null;

async function report(path, signal) {
  const res = await apiFetch(path, { headers: { Accept: "application/json" }, signal });
  let body = {};
  try {
    body = await res.json();
  } catch (e) {
    // a proxy's HTML error page: the status says enough
  }
  return { ok: res.ok, status: res.status, body };
}

function problems(ready, state) {
  const out = [];
  const add = (kind, severity, text) => {
    if (!out.some(p => p.text === text)) {
      out.push({ kind, severity, text });
    }
  };
  if (!ready.ok) {
    const reason = ready.body.reason || "HTTP " + ready.status;
    add(/redis/i.test(reason) ? "redis" : "node", "error", "Not ready: " + reason);
  }
  if (!state.ok) {
    const reason = state.body.reason || "HTTP " + state.status;
    add(/redis/i.test(reason) ? "redis" : "state", "error", reason);
  }
  for (const w of state.body.warnings || []) {
    add(/token|unauthenticated/i.test(w) ? "unauthenticated" : "warning", "warn", w);
  }
  for (const w of workers.filter(w => w.status === "unhealthy")) {
    add("worker", "warn", w.kind === "cluster"
      ? "Worker node " + w.workerId + " is unreachable: its jobs run elsewhere if it stays away"
      : "Worker " + w.workerId + " missed its heartbeats: its jobs run elsewhere if it stays silent");
  }
  return out;
}

function show(list) {
  const line = $("health");
  line.dataset.health = list.length === 0 ? "ok" : list.some(p => p.severity === "error") ? "down" : "degraded";
  const key = JSON.stringify(list);
  if (line.dataset.key !== key) {
    line.dataset.key = key;
    line.replaceChildren(...list.map(p => el("div", { class: "problem", "data-kind": p.kind,
      "data-severity": p.severity }, el("b", { text: p.severity === "error" ? "Unhealthy" : "Warning" }),
    " " + p.text)));
  }
  line.hidden = list.length === 0;
}

export async function refreshHealth(signal) {
  const [ready, state] = await Promise.all([report("health/ready", signal), report("health/state", signal)]);
  const list = problems(ready, state);
  if (apiProblem) {
    list.unshift({ kind: "api", severity: "error", text: apiProblem });
  }
  show(list);
}

// The health endpoints themselves did not answer (the node is down, or a proxy in front of it).
export function healthUnknown(e) {
  const why = e && e.name === "TimeoutError" ? "no answer within 6 s" : (e && e.message) || String(e);
  show([{ kind: "api", severity: "error", text: "This node's API does not answer: " + why }]);
}

// Called by the other panels: null when their last call worked, else what went wrong.
export function apiTrouble(text) {
  apiProblem = text;
}
