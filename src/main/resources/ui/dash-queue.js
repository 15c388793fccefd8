// The dashboard's queue: GET /queue/stats (job counts, paused, utilization, the backlog per capability with its
// oldest queued age), and POST /queue/pause and /queue/resume from its buttons.
import { getJson, postJson } from "./api.js";
import { $, duration, el, setAttr, setText } from "./dash-common.js";

const COUNTS = [
  ["waiting", "waiting for dependencies or a paused execution"],
  ["queued", "offered, waiting for a worker"],
  ["active", "running now"],
  ["delayed", "waiting for a retry's backoff"],
  ["completed", "completed jobs"],
  ["failed", "failed jobs"],
  ["cancelled", "cancelled jobs"],
  ["workers", "live workers"]];

let last = null;
let refreshNow = () => {};

function tiles() {
  const box = $("queue-stats");
  if (box.children.length === 0) {
    box.append(...COUNTS.map(([k, why]) => el("div", { class: "stat", "data-stat": k, title: why },
      el("b", { text: "–" }), el("small", { text: k }))));
  }
  return box;
}

function render(q) {
  const box = tiles();
  for (const [k] of COUNTS) {
    const tile = box.querySelector("[data-stat='" + k + "']");
    setAttr(tile, "data-count", q[k]);
    setText(tile.querySelector("b"), Number(q[k]).toLocaleString());
  }
  setAttr(box, "data-estimated", q.countsEstimated ? "yes" : null);
  setAttr(box, "title", q.countsEstimated ? "waiting and delayed are sampled (many executions are unfinished)" : null);
  const state = $("queue-state");
  setAttr(state, "data-status", q.paused ? "paused" : "running");
  setAttr(state, "data-paused", q.paused);
  setText(state, q.paused ? "paused" : "dispatching");
  $("queue-pause").disabled = q.paused;
  $("queue-resume").disabled = !q.paused;
  const pct = Math.round(100 * (q.utilization || 0));
  $("utilization-bar").style.width = pct + "%";
  setText($("utilization-text"), pct + " % · " + q.load + " / " + q.capacity + " slots");
  const body = $("backlog");
  const entries = Object.entries(q.backlog || {}).sort((a, b) => b[1].oldestQueuedAgeMs - a[1].oldestQueuedAgeMs);
  const existing = new Map([...body.children].map(tr => [tr.dataset.capability, tr]));
  entries.forEach(([capability, b], i) => {
    let tr = existing.get(capability);
    existing.delete(capability);
    if (!tr) {
      tr = el("tr", { "data-capability": capability }, el("td", { class: "capability" }, el("span", { class: "chip",
        text: capability })), el("td", { class: "num queued" }), el("td", { class: "num age" }));
    }
    setAttr(tr, "data-queued", b.queued);
    setAttr(tr, "data-age-ms", b.oldestQueuedAgeMs);
    setText(tr.querySelector(".queued"), b.queued);
    setText(tr.querySelector(".age"), duration(b.oldestQueuedAgeMs));
    setAttr(tr, "class", b.oldestQueuedAgeMs > 60000 ? "old" : null);
    if (body.children[i] !== tr) {
      body.insertBefore(tr, body.children[i] || null);
    }
  });
  existing.forEach(tr => tr.remove());
  $("backlog-empty").hidden = entries.length > 0;
  setText($("summary"), q.active + " running · " + q.queued + " queued · " + q.workers
    + (q.workers === 1 ? " worker" : " workers")
    + (q.paused ? " · queue paused" : ""));
}

export async function refreshQueue(signal) {
  last = await getJson("queue/stats", { signal });
  render(last);
}

async function control(action) {
  const buttons = [$("queue-pause"), $("queue-resume")];
  buttons.forEach(b => { b.disabled = true; });
  try {
    await postJson("queue/" + action);
    setText($("queue-message"), "");
  } catch (e) {
    // e.g. 403 for a read-only token: said next to the buttons, the state stays as the next poll shows it.
    setText($("queue-message"), action + " refused: " + e.message);
  }
  refreshNow();
}

export function setUpQueue(refresh) {
  refreshNow = refresh;
  $("queue-pause").addEventListener("click", () => control("pause"));
  $("queue-resume").addEventListener("click", () => control("resume"));
}
