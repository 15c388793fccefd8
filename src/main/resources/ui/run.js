// One execution's page: loads the execution, lays its DAG out, then follows its event stream (the stored events
// replayed, then live ones) to colour jobs, count attempts, show progress and draw the timeline, without a reload.
import { getJson, postJson, streamEvents } from "./api.js";
import { ELK_MAX_JOBS, layeredLayout, layout, warmUp } from "./layout.js";
import { GraphView } from "./graph.js";
import { drawTimeline } from "./timeline.js";
import { showDetail } from "./detail.js";

const STATUSES = ["waiting", "queued", "running", "retrying", "completed", "failed", "cancelled", "skipped"];
const FINAL = new Set(["completed", "failed", "cancelled"]);
// Past this many jobs the page first draws the simple layout (milliseconds), then elk's when the worker has it.
const QUICK_FIRST = 300;
const executionId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const base = "execute/" + encodeURIComponent(executionId);

const jobs = new Map();      // jobId -> {status, attempts, progress, started: Set of attemptIds}
const attempts = new Map();  // attemptId -> {attemptId, jobId, workerId, number, start, end, outcome}
const dirty = new Set();
let execution = { status: "pending" };
let graph = null;
let drawn = false;
let streaming = false;
let retried = false;
let frame = 0;
let timelineDue = 0;
let timelineAt = -Infinity;
let timelineTimer = 0;

const $ = id => document.getElementById(id);

function message(text, isError) {
  const m = $("message");
  m.textContent = text || "";
  m.className = text ? (isError ? "error" : "info") : "";
}

function setLive(state, text) {
  $("live").dataset.live = state;
  $("live").textContent = text;
}

function applyState(s) {
  execution = s;
  for (const [id, j] of Object.entries(s.jobs)) {
    const mine = jobs.get(id) || { started: new Set() };
    mine.status = j.status;
    mine.attempts = Math.max(j.attempts, j.status === "waiting" ? 0 : mine.started.size);
    mine.progress = j.progress;
    jobs.set(id, mine);
    dirty.add(id);
  }
  schedule();
}

function closeAttempt(attemptId, time, outcome) {
  const a = attempts.get(attemptId);
  if (a && !a.end) {
    a.end = time;
    a.outcome = outcome;
  }
}

function setJob(id, fields) {
  const j = jobs.get(id);
  if (j) {
    Object.assign(j, fields);
    dirty.add(id);
  }
}

function onEvent(ev) {
  const d = ev.data;
  const j = d.jobId ? jobs.get(d.jobId) : null;
  switch (ev.type) {
    case "job-queued": setJob(d.jobId, { status: "queued", progress: null }); break;
    case "job-started":
      if (j) {
        j.started.add(d.attemptId);
        setJob(d.jobId, { status: "running", attempts: Math.max(j.attempts || 0, j.started.size), progress: 0 });
      }
      if (!attempts.has(d.attemptId)) {
        attempts.set(d.attemptId, { attemptId: d.attemptId, jobId: d.jobId, workerId: d.workerId || "?",
          number: j ? j.started.size : 0, start: d.time, end: null, outcome: null });
      }
      break;
    case "job-progress": setJob(d.jobId, { progress: d.percent }); break;
    case "job-completed": setJob(d.jobId, { status: "completed", progress: 100 });
      closeAttempt(d.attemptId, d.time, "completed"); break;
    case "job-failed": setJob(d.jobId, { status: "failed" }); closeAttempt(d.attemptId, d.time, "failed"); break;
    case "job-retrying": setJob(d.jobId, { status: "retrying" });
      closeAttempt(d.attemptId, d.time, d.lost ? "lost" : d.timedOut ? "timed-out" : "failed"); break;
    case "job-skipped": setJob(d.jobId, { status: "skipped", becauseOf: d.becauseOf }); break;
    case "job-cancelled": setJob(d.jobId, { status: "cancelled" }); closeAttempt(d.attemptId, d.time, "cancelled"); break;
    case "execution-paused": execution.status = "paused"; break;
    case "execution-resumed": execution.status = "running"; break;
    case "execution-retried": execution.status = "running";
      (d.jobIds || []).forEach(id => setJob(id, { status: "waiting", progress: null })); break;
    case "execution-cancelled":
      execution.status = "cancelled";
      (d.jobIds || []).forEach(id => setJob(id, { status: "cancelled" }));
      attempts.forEach(a => closeAttempt(a.attemptId, d.time, "cancelled")); break;
    case "execution-completed": case "execution-failed":
      execution.status = ev.type.slice("execution-".length); break;
    default: break;
  }
  if (execution.status === "pending" && ev.type === "job-started") {
    execution.status = "running";
  }
  if (d.jobId && d.jobId === $("detail").dataset.jobId) {
    refreshDetailSoon();
  }
  timelineDue = 1;
  schedule();
}

// Renders at most once per frame, however many events arrive (the replay of a long run comes in one burst).
function schedule() {
  if (!frame) {
    frame = requestAnimationFrame(render);
  }
}

function render() {
  frame = 0;
  if (drawn) {
    for (const id of dirty) {
      graph.update(id, jobs.get(id));
    }
    dirty.clear();
  }
  renderHeader();
  // The timeline is redrawn whole: at most every quarter second, every two seconds past 500 attempts.
  const every = attempts.size > 500 ? 2000 : 250;
  if (timelineDue && performance.now() - timelineAt >= every) {
    timelineDue = 0;
    timelineAt = performance.now();
    drawTimeline($("timeline"), [...attempts.values()], select);
  } else if (timelineDue && !timelineTimer) {
    timelineTimer = setTimeout(() => { timelineTimer = 0; schedule(); }, every);
  }
}

function renderHeader() {
  const status = execution.status;
  const pill = $("execution-status");
  pill.textContent = status;
  pill.dataset.status = status;
  document.body.dataset.executionStatus = status;
  let done = 0, bad = 0;
  jobs.forEach(j => { if (j.status === "completed") done++; else if (["failed", "skipped", "cancelled"].includes(j.status)) bad++; });
  $("overall-bar").style.width = (100 * done / Math.max(1, jobs.size)) + "%";
  $("overall-text").textContent = done + " of " + jobs.size + " done" + (bad ? ", " + bad + " failed/skipped/cancelled" : "");
  $("pause").disabled = !["pending", "running"].includes(status);
  $("resume").disabled = status !== "paused";
  $("cancel").disabled = !["pending", "running", "paused"].includes(status);
  $("retry").disabled = !["failed", "cancelled"].includes(status);
}

let detailTimer = 0;
function refreshDetailSoon() {
  clearTimeout(detailTimer);
  detailTimer = setTimeout(() => select($("detail").dataset.jobId), 250);
}

function select(jobId) {
  if (!jobId) return;
  const panel = $("detail");
  panel.dataset.jobId = jobId;
  graph.select(jobId);
  showDetail(panel, executionId, jobId, id => jobs.get(id) || {})
    .catch(e => message("job " + jobId + ": " + e.message, true));
}

// Follows the event stream until the execution has finished; reconnects (the stream replays from the start) when
// the connection drops.
async function follow() {
  if (streaming) return;
  streaming = true;
  for (;;) {
    retried = false;
    setLive("live", "live");
    try {
      await streamEvents(base + "/events", onEvent);
    } catch (e) {
      setLive("reconnecting", "reconnecting…");
      await new Promise(r => setTimeout(r, 1500));
      continue;
    }
    try {
      applyState(await getJson(base + "/status"));
    } catch (e) {
      setLive("reconnecting", "reconnecting…");
      await new Promise(r => setTimeout(r, 1500));
      continue;
    }
    // A retry clicked while this stream was ending must be followed too.
    if (FINAL.has(execution.status) && !retried) {
      break;
    }
  }
  streaming = false;
  setLive("finished", "finished");
}

async function control(action) {
  message("");
  try {
    applyState(await postJson(base + "/" + action));
    if (action === "retry") {
      retried = true;
      follow();
    }
  } catch (e) {
    message(action + ": " + e.message, true);
  }
}

// Draws (or redraws with a better layout) the graph, then brings every job's state onto it.
function show(result, list) {
  graph.draw(result, list);
  const svg = $("graph");
  if (!svg.dataset.firstLayoutMs) {
    svg.dataset.firstLayoutMs = String(result.ms);
    svg.dataset.firstDrawnAtMs = String(Math.round(performance.now()));
  }
  svg.dataset.layout = result.engine;
  svg.dataset.layoutMs = String(result.ms);
  svg.dataset.jobCount = String(list.length);
  $("layout-info").textContent = list.length + " jobs, " + result.edges.length + " dependencies · "
    + (result.engine === "elk" ? "elk" : "simple layered layout") + " in " + result.ms + " ms";
  drawn = true;
  jobs.forEach((_, id) => dirty.add(id));
  if ($("detail").dataset.jobId) {
    graph.select($("detail").dataset.jobId);
  }
  timelineDue = 1;
  schedule();
}

async function main() {
  warmUp();
  $("execution-id").textContent = executionId;
  document.title = "Gantry · " + executionId;
  $("legend").innerHTML = STATUSES.map(s => '<span class="swatch" data-status="' + s + '"></span>' + s).join(" ");
  for (const b of document.querySelectorAll(".controls button")) {
    b.addEventListener("click", () => control(b.dataset.action));
  }
  graph = new GraphView($("graph"), select);
  $("fit").addEventListener("click", () => graph.fit());
  $("detail").addEventListener("closed", () => graph.select(null));
  let state;
  try {
    state = await getJson(base + "/status");
  } catch (e) {
    setLive("finished", "");
    message(e.status === 404 ? "There is no execution '" + executionId + "' on this node." : e.message, true);
    return;
  }
  $("workflow").textContent = state.workflowId;
  applyState(state);
  follow();
  const list = Object.entries(state.jobs).map(([id, j]) => ({ id, dependsOn: j.dependsOn || [] }));
  $("layout-info").textContent = "laying out " + list.length + " jobs…";
  if (list.length > QUICK_FIRST && list.length <= ELK_MAX_JOBS) {
    const started = performance.now();
    const quick = layeredLayout(list);
    quick.ms = Math.round(performance.now() - started);
    show(quick, list);
    $("layout-info").textContent += " · elk is refining it…";
  }
  show(await layout(list), list);
  window.addEventListener("resize", () => { timelineDue = 1; schedule(); });
  setInterval(() => {
    if ([...attempts.values()].some(a => !a.end)) { timelineDue = 1; schedule(); }
  }, 1000);
}

main();
