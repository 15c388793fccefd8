// The dashboard at /: executions with their progress, the queue and its backlog per capability, the workers and
// their load, and a line at the top when something is unhealthy. Each panel polls the public API on its own loop
// (one call at a time, with a timeout), so a slow answer in one does not freeze the others; nothing is reloaded.
// With a token configured, the first 401 asks for it once (ui/api.js) and the tab keeps it in sessionStorage.
import { $, poll, tokenGiven } from "./dash-common.js";
import { refreshExecutions, setUpExecutions } from "./dash-executions.js";
import { refreshQueue, setUpQueue } from "./dash-queue.js";
import { refreshWorkers } from "./dash-workers.js";
import { apiTrouble, healthUnknown, refreshHealth } from "./dash-health.js";

const EVERY_MS = 1500;
const failures = new Map();

function panel(name, section, task) {
  return poll(task, {
    everyMs: EVERY_MS,
    onOk() {
      failures.delete(name);
      $(section).removeAttribute("data-stale");
      settle();
    },
    onError(e) {
      const why = e && e.name === "TimeoutError" ? "no answer within 8 s" : (e && e.message) || String(e);
      failures.set(name, why);
      $(section).dataset.stale = why;
      settle();
    },
  });
}

function settle() {
  apiTrouble(failures.size === 0 ? null
    : "The dashboard could not refresh " + [...failures].map(([n, why]) => n + " (" + why + ")").join(", "));
  const live = $("live");
  live.dataset.live = failures.size === 0 ? "live" : "reconnecting";
  live.textContent = failures.size === 0 ? "live · updated " + new Date().toLocaleTimeString()
    : "retrying · some panels are out of date";
}

$("token-dialog").addEventListener("close", tokenGiven);
// The filters are read from the address before the first poll.
setUpExecutions(() => executions.now());
setUpQueue(() => { queue.now(); workers.now(); });
const executions = panel("executions", "executions-section", refreshExecutions);
const queue = panel("the queue", "queue-section", refreshQueue);
const workers = panel("workers", "workers-section", refreshWorkers);
poll(refreshHealth, { everyMs: 2000, timeoutMs: 6000, onError: healthUnknown });
