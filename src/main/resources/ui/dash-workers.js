// The dashboard's workers: GET /workers/list, one row each with its kind, pool, capabilities, load (running /
// maxConcurrency as a bar), last heartbeat age and status. Answers the workers for the health line.
import { getJson } from "./api.js";
import { $, ago, el, setAttr, setText } from "./dash-common.js";

const ORDER = { unhealthy: 0, busy: 1, active: 2, idle: 3, offline: 4 };

export let workers = [];

function newRow(w) {
  return el("tr", { "data-worker-id": w.workerId },
    el("td", {}, el("span", { class: "pill" })),
    el("td", { class: "id", title: w.hostname ? w.hostname + (w.pid ? " pid " + w.pid : "") : null, text: w.workerId }),
    el("td", { class: "kind" }), el("td", { class: "pool" }), el("td", { class: "caps" }),
    el("td", { class: "load" }, el("div", { class: "cell-row" }, el("div", { class: "meter" }, el("span")),
      el("small"))),
    el("td", { class: "heartbeat" }));
}

function update(tr, w, now) {
  setAttr(tr, "data-status", w.status);
  setAttr(tr, "data-kind", w.kind);
  setAttr(tr, "data-running", w.currentLoad);
  setAttr(tr, "data-max", w.maxConcurrency);
  const pill = tr.querySelector(".pill");
  setAttr(pill, "data-status", w.status);
  setText(pill, w.status);
  setText(tr.querySelector(".kind"), w.kind);
  setText(tr.querySelector(".pool"), w.pool || "default");
  const caps = (w.capabilities || []).join(" ");
  const box = tr.querySelector(".caps");
  if (box.dataset.caps !== caps) {
    box.dataset.caps = caps;
    box.replaceChildren(...(w.capabilities || []).map(c => el("span", { class: "chip", text: c })));
    if (w.jobTypes && w.jobTypes.length) {
      box.append(el("span", { class: "muted types", text: "types: " + w.jobTypes.join(", ") }));
    }
  }
  const pct = w.maxConcurrency ? Math.min(100, 100 * w.currentLoad / w.maxConcurrency) : 0;
  const load = tr.querySelector(".load");
  load.querySelector(".meter > span").style.width = pct + "%";
  setAttr(load.querySelector(".meter"), "data-full", w.currentLoad >= w.maxConcurrency && w.maxConcurrency > 0);
  setText(load.querySelector("small"), w.currentLoad + " / " + w.maxConcurrency);
  setAttr(load, "title", (w.assignedJobs || []).map(j => j.executionId + " · " + j.jobId).join("\n") || "no job");
  setText(tr.querySelector(".heartbeat"), ago(w.lastHeartbeat, now));
}

export async function refreshWorkers(signal) {
  workers = await getJson("workers/list", { signal });
  const now = Date.now();
  const sorted = [...workers].sort((a, b) => (ORDER[a.status] ?? 5) - (ORDER[b.status] ?? 5)
    || (a.workerId < b.workerId ? -1 : 1));
  const body = $("workers");
  const existing = new Map([...body.children].map(tr => [tr.dataset.workerId, tr]));
  sorted.forEach((w, i) => {
    let tr = existing.get(w.workerId);
    existing.delete(w.workerId);
    if (!tr) {
      tr = newRow(w);
    }
    update(tr, w, now);
    if (body.children[i] !== tr) {
      body.insertBefore(tr, body.children[i] || null);
    }
  });
  existing.forEach(tr => tr.remove());
  $("workers-empty").hidden = workers.length > 0;
  const live = workers.filter(w => w.status !== "offline");
  const slots = live.reduce((n, w) => n + w.maxConcurrency, 0);
  const load = live.reduce((n, w) => n + w.currentLoad, 0);
  setText($("workers-info"), live.length + " live" + (workers.length > live.length
    ? ", " + (workers.length - live.length) + " offline" : "") + " · " + load + " / " + slots + " slots busy");
}
