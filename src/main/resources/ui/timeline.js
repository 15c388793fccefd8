// The timeline: one bar per attempt over time (data-attempt-id, data-job-id, data-outcome), one lane per worker.
import { esc } from "./graph.js";

const LANE_H = 24;
const LABEL_W = 150;
const AXIS_H = 22;

function niceStep(spanMs, ticks) {
  const raw = spanMs / ticks;
  const steps = [100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
  return steps.find(s => s >= raw) || Math.ceil(raw / 3600000) * 3600000;
}

function label(ms) {
  if (ms < 1000) return ms + " ms";
  if (ms < 60000) return (ms / 1000).toFixed(ms % 1000 ? 1 : 0) + " s";
  return Math.floor(ms / 60000) + " min" + (ms % 60000 ? " " + Math.round((ms % 60000) / 1000) + " s" : "");
}

export function drawTimeline(svg, attempts, onSelect) {
  const width = Math.max(300, svg.clientWidth || svg.getBoundingClientRect().width);
  if (attempts.length === 0) {
    svg.setAttribute("height", 40);
    svg.innerHTML = '<text class="empty" x="0" y="24">no attempt has started yet</text>';
    return;
  }
  const now = Date.now();
  // One lane per worker, split into rows so that a worker's concurrent attempts don't hide each other.
  const rows = [];      // {workerId, ends: end time of the row's last bar}
  const rowOf = new Map();
  const ordered = [...attempts].sort((a, b) => a.start - b.start);
  const workers = [];
  for (const a of ordered) {
    if (!workers.includes(a.workerId)) workers.push(a.workerId);
  }
  const lanes = new Map(workers.map(w => [w, []]));
  for (const a of ordered) {
    const mine = lanes.get(a.workerId);
    let row = mine.find(r => r.ends <= a.start);
    if (!row) {
      row = { ends: 0 };
      mine.push(row);
    }
    row.ends = a.end || Infinity;
    rowOf.set(a.attemptId, row);
  }
  for (const w of workers) {
    lanes.get(w).forEach((r, i) => { r.index = rows.length; r.first = i === 0; r.workerId = w; rows.push(r); });
  }
  const t0 = Math.min(...attempts.map(a => a.start));
  const t1 = Math.max(t0 + 1000, ...attempts.map(a => a.end || now));
  const plotW = width - LABEL_W - 12;
  const x = t => LABEL_W + (t - t0) * plotW / (t1 - t0);
  const height = rows.length * LANE_H + AXIS_H + 4;
  const step = niceStep(t1 - t0, Math.max(2, Math.floor(plotW / 90)));
  let axis = "";
  for (let t = 0; t <= t1 - t0; t += step) {
    axis += '<line class="tick" x1="' + x(t0 + t) + '" x2="' + x(t0 + t) + '" y1="0" y2="' + (height - AXIS_H) + '"></line>'
      + '<text class="tick-label" x="' + x(t0 + t) + '" y="' + (height - 6) + '">' + (t ? "+" + label(t) : "0") + "</text>";
  }
  const laneMarks = rows.filter(r => r.first).map(r => '<text class="lane-label" x="0" y="' + (r.index * LANE_H + 16)
    + '">' + esc(r.workerId.length > 22 ? "…" + r.workerId.slice(-21) : r.workerId) + "<title>" + esc(r.workerId)
    + "</title></text>" + (r.index ? '<line class="lane" x1="0" x2="' + width + '" y1="' + (r.index * LANE_H)
    + '" y2="' + (r.index * LANE_H) + '"></line>' : "")).join("");
  const bars = attempts.map(a => {
    const row = rowOf.get(a.attemptId).index;
    const x0 = x(a.start), x1 = Math.max(x0 + 3, x(a.end || now));
    const took = (a.end || now) - a.start;
    const name = x1 - x0 > 48 ? '<text class="bar-label" x="' + (x0 + 6).toFixed(1) + '" y="' + (row * LANE_H + 16)
      + '">' + esc(a.jobId.length * 6.5 > x1 - x0 - 10 ? a.jobId.slice(0, Math.max(1, Math.floor((x1 - x0 - 16) / 6.5))) + "…" : a.jobId)
      + "</text>" : "";
    return '<g class="attempt-bar"><rect class="attempt" data-attempt-id="' + esc(a.attemptId) + '" data-job-id="' + esc(a.jobId)
      + '" data-outcome="' + esc(a.outcome || "running") + '" x="' + x0.toFixed(1) + '" y="' + (row * LANE_H + 3)
      + '" width="' + (x1 - x0).toFixed(1) + '" height="' + (LANE_H - 6) + '" rx="3"><title>' + esc(a.jobId)
      + " · attempt " + a.number + " · " + esc(a.outcome || "running") + " · " + label(took) + "</title></rect>"
      + name + "</g>";
  }).join("");
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.innerHTML = axis + laneMarks + bars;
  svg.onclick = ev => {
    const bar = ev.target.closest && ev.target.closest("g.attempt-bar");
    if (bar) onSelect(bar.querySelector("rect.attempt").dataset.jobId);
  };
}
