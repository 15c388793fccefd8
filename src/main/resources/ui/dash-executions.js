// The dashboard's executions: GET /execute (newest first, filtered by workflow and status, "More" pages through
// nextCursor), each with a progress bar from its GET /execute/{id}/status. Only the rows loaded are in the DOM (a
// page of PAGE at a time), and only rows on screen are looked up, a few per poll, so 1,000s of executions stay light.
import { getJson } from "./api.js";
import { $, ago, duration, el, setAttr, setText } from "./dash-common.js";

const PAGE = 50;
const FINAL = new Set(["completed", "failed", "cancelled"]);
const LOOKUPS_PER_POLL = 8;
// An unfinished execution's jobs are read again after this; a big one's less often (its status is a big answer).
const LOOKUP_EVERY_MS = 1500;
const BIG_LOOKUP_EVERY_MS = 10000;
const BIG = 1000;

const rows = new Map();       // executionId -> summary (ExecutionSummary plus listedAt)
const progress = new Map();   // executionId -> {status, counts, total, at}
const workflows = new Set();
const onScreen = new Set();
let cursor = null;            // nextCursor of the oldest page loaded
let extended = false;         // pages past the first are loaded
let generation = 0;           // bumped when the filters change: answers to older filters are dropped
let observer = null;

function filters() {
  return { workflowId: $("filter-workflow").value.trim(), status: $("filter-status").value };
}

function listPath(extra) {
  const f = filters();
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (f.workflowId) {
    q.set("workflowId", f.workflowId);
  }
  if (f.status) {
    q.set("status", f.status);
  }
  if (extra) {
    q.set("cursor", extra);
  }
  return "execute?" + q;
}

function newestFirst(a, b) {
  return b.createdAt - a.createdAt || (a.executionId < b.executionId ? 1 : -1);
}

// The status shown: the listing's, unless a status lookup since then knows better (rows past the first page are not
// listed again).
function statusOf(s) {
  const p = progress.get(s.executionId);
  if (!p) {
    return s.status;
  }
  // The listing's index may lag an execution's end by a moment: its own final status wins for a few seconds.
  const lagging = FINAL.has(p.status) && !FINAL.has(s.status) && s.listedAt - p.at < 5000;
  return p.at > s.listedAt || lagging ? p.status : s.status;
}

function merge(page) {
  const now = Date.now();
  const fresh = page.items.map(i => ({ ...i, listedAt: now }));
  fresh.forEach(i => workflows.add(i.workflowId));
  if (!extended || (page.nextCursor && !fresh.some(i => rows.has(i.executionId)))) {
    // Only the first page is shown, or more than a page arrived since the last poll: start again from the newest.
    rows.clear();
    extended = false;
    cursor = page.nextCursor;
  } else if (fresh.length > 0) {
    // Rows within the first page's range that it no longer holds stopped matching the filter.
    const oldest = fresh[fresh.length - 1];
    const ids = new Set(fresh.map(i => i.executionId));
    for (const [id, r] of rows) {
      if (!ids.has(id) && newestFirst(r, oldest) <= 0) {
        rows.delete(id);
      }
    }
  }
  fresh.forEach(i => rows.set(i.executionId, i));
}

export async function refreshExecutions(signal) {
  const asked = generation;
  const page = await getJson(listPath(), { signal });
  if (asked !== generation) {
    return;
  }
  merge(page);
  render();
  await lookUp(signal);
  render();
}

async function more() {
  const asked = generation;
  $("more").disabled = true;
  try {
    const page = await getJson(listPath(cursor));
    if (asked === generation) {
      const now = Date.now();
      page.items.forEach(i => { rows.set(i.executionId, { ...i, listedAt: now }); workflows.add(i.workflowId); });
      cursor = page.nextCursor;
      extended = true;
      render();
    }
  } finally {
    $("more").disabled = false;
  }
}

function due(s, now) {
  const status = statusOf(s);
  if (status === "completed") {
    return false;
  }
  const p = progress.get(s.executionId);
  if (!p) {
    return true;
  }
  if (FINAL.has(p.status)) {
    return p.status !== status;  // retried since, or the listing saw it finish first
  }
  return now - p.at >= (s.jobCount > BIG ? BIG_LOOKUP_EVERY_MS : LOOKUP_EVERY_MS);
}

function counts(state) {
  const c = { completed: 0, failed: 0, cancelled: 0, skipped: 0, running: 0, queued: 0, waiting: 0 };
  const jobs = Object.values(state.jobs || {});
  for (const j of jobs) {
    const k = j.status === "retrying" ? "running" : j.status;
    c[k] = (c[k] || 0) + 1;
  }
  return { counts: c, total: jobs.length };
}

async function lookUp(signal) {
  const now = Date.now();
  const wanted = [...rows.values()].filter(s => (onScreen.has(s.executionId) || !observer) && due(s, now))
    .sort((a, b) => (progress.get(a.executionId)?.at || 0) - (progress.get(b.executionId)?.at || 0))
    .slice(0, LOOKUPS_PER_POLL);
  const asked = generation;
  await Promise.all(wanted.map(async s => {
    try {
      const state = await getJson("execute/" + encodeURIComponent(s.executionId) + "/status", { signal });
      if (asked === generation) {
        progress.set(s.executionId, { status: state.status, completedAt: state.completedAt, at: Date.now(),
          ...counts(state) });
      }
    } catch (e) {
      if (e.status === 404) {
        rows.delete(s.executionId);  // cleaned since it was listed
      } else {
        throw e;
      }
    }
  }));
  const wantedStatus = filters().status;
  if (wantedStatus) {
    for (const [id, s] of rows) {
      if (statusOf(s) !== wantedStatus) {
        rows.delete(id);
      }
    }
  }
}

function progressCell() {
  const bar = el("div", { class: "progress" });
  for (const k of ["completed", "failed", "cancelled", "running"]) {
    bar.append(el("span", { class: "seg", "data-kind": k }));
  }
  return el("td", { class: "progress-col" }, el("div", { class: "cell-row" }, bar, el("small", { class: "count" })));
}

function newRow(s) {
  const tr = el("tr", { "data-execution-id": s.executionId });
  const link = el("a", { href: "ui/executions/" + encodeURIComponent(s.executionId), text: s.executionId,
    title: "open the run page of " + s.executionId });
  const wf = el("button", { type: "button", class: "link workflow", title: "show only this workflow" });
  wf.addEventListener("click", () => { $("filter-workflow").value = tr.dataset.workflow; changed(); });
  tr.append(el("td", {}, el("span", { class: "pill" })), el("td", { class: "id" }, link), el("td", {}, wf),
    progressCell(), el("td", { class: "created" }), el("td", { class: "took" }));
  if (observer) {
    observer.observe(tr);
  }
  return tr;
}

function updateRow(tr, s, now) {
  const status = statusOf(s);
  const p = progress.get(s.executionId);
  setAttr(tr, "data-status", status);
  setAttr(tr, "data-workflow", s.workflowId);
  const pill = tr.querySelector(".pill");
  setAttr(pill, "data-status", status);
  setText(pill, status);
  setText(tr.querySelector(".workflow"), s.workflowId);
  const total = s.jobCount || (p && p.total) || 0;
  let c = { completed: 0, failed: 0, cancelled: 0, running: 0 };
  if (status === "completed") {
    c.completed = total;
  } else if (p) {
    c = { ...p.counts, cancelled: p.counts.cancelled + p.counts.skipped };
  }
  const bar = tr.querySelector(".progress");
  setAttr(bar, "data-done", c.completed);
  setAttr(bar, "data-total", total);
  setAttr(bar, "data-known", status === "completed" || p ? "yes" : "no");
  setAttr(bar, "title", p || status === "completed" ? Object.entries(c).filter(([, n]) => n > 0)
    .map(([k, n]) => n + " " + k).join(", ") || "nothing started" : "not looked up yet");
  for (const seg of bar.children) {
    const n = c[seg.dataset.kind] || 0;
    seg.style.width = total ? (100 * n / total).toFixed(2) + "%" : "0";
  }
  setText(tr.querySelector(".count"), (p || status === "completed" ? c.completed : "…") + " / " + total);
  const created = tr.querySelector(".created");
  setText(created, ago(s.createdAt, now));
  setAttr(created, "title", new Date(s.createdAt).toLocaleString());
  const end = s.completedAt || (p && FINAL.has(p.status) ? p.completedAt : null);
  setText(tr.querySelector(".took"), end ? duration(end - s.createdAt)
    : FINAL.has(status) ? "" : duration(now - s.createdAt) + " so far");
}

function render() {
  const now = Date.now();
  const body = $("executions");
  const existing = new Map([...body.children].map(tr => [tr.dataset.executionId, tr]));
  const ordered = [...rows.values()].sort(newestFirst);
  let at = body.firstElementChild;
  for (const s of ordered) {
    let tr = existing.get(s.executionId);
    existing.delete(s.executionId);
    if (!tr) {
      tr = newRow(s);
    }
    updateRow(tr, s, now);
    if (tr !== at) {
      body.insertBefore(tr, at);
    } else {
      at = at.nextElementSibling;
    }
  }
  for (const [id, tr] of existing) {
    observer?.unobserve(tr);
    onScreen.delete(id);
    tr.remove();
  }
  $("executions-empty").hidden = ordered.length > 0;
  $("more").hidden = !cursor;
  setText($("executions-info"), ordered.length ? ordered.length + " shown" + (cursor ? ", more older" : "") : "");
  const list = $("workflows");
  if (list.children.length !== workflows.size) {
    list.replaceChildren(...[...workflows].sort().slice(0, 200).map(w => el("option", { value: w })));
  }
}

let refreshNow = () => {};

let applied = "";

function changed() {
  const key = JSON.stringify(filters());
  if (key === applied) {
    return;
  }
  applied = key;
  generation++;
  rows.clear();
  progress.clear();
  cursor = null;
  extended = false;
  const f = filters();
  const q = new URLSearchParams();
  if (f.workflowId) {
    q.set("workflow", f.workflowId);
  }
  if (f.status) {
    q.set("status", f.status);
  }
  history.replaceState(null, "", location.pathname + (q.toString() ? "?" + q : ""));
  render();
  refreshNow();
}

// Wires the filters (kept in the address, so a reload or a shared link keeps them) and the "More" button.
export function setUpExecutions(refresh) {
  refreshNow = refresh;
  const q = new URLSearchParams(location.search);
  $("filter-workflow").value = q.get("workflow") || "";
  $("filter-status").value = q.get("status") || "";
  applied = JSON.stringify(filters());
  let typing = 0;
  $("filter-workflow").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(changed, 300); });
  $("filter-workflow").addEventListener("change", () => { clearTimeout(typing); changed(); });
  $("filter-status").addEventListener("change", changed);
  $("filter-clear").addEventListener("click", () => {
    $("filter-workflow").value = "";
    $("filter-status").value = "";
    changed();
  });
  $("filters").addEventListener("submit", e => { e.preventDefault(); changed(); });
  $("more").addEventListener("click", () => more().then(refreshNow, e => console.warn("more", e)));
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(entries => {
      for (const e of entries) {
        const id = e.target.dataset.executionId;
        if (e.isIntersecting) {
          onScreen.add(id);
        } else {
          onScreen.delete(id);
        }
      }
    });
  }
}
