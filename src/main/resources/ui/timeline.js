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
  const workers = [];
  for (const a of attempts) {
    if (!workers.includes(a.workerId)) workers.push(a.workerId);
  }
  const t0 = Math.min(...attempts.map(a => a.start));
  const t1 = Math.max(t0 + 1000, ...attempts.map(a => a.end || now));
  const plotW = width - LABEL_W - 12;
  const x = t => LABEL_W + (t - t0) * plotW / (t1 - t0);
  const height = workers.length * LANE_H + AXIS_H + 4;
  const step = niceStep(t1 - t0, Math.max(2, Math.floor(plotW / 90)));
  let axis = "";
  for (let t = 0; t <= t1 - t0; t += step) {
    axis += '<line class="tick" x1="' + x(t0 + t) + '" x2="' + x(t0 + t) + '" y1="0" y2="' + (height - AXIS_H) + '"></line>'
      + '<text class="tick-label" x="' + x(t0 + t) + '" y="' + (height - 6) + '">+' + label(t) + "</text>";
  }
  const lanes = workers.map((w, i) => '<text class="lane-label" x="0" y="' + (i * LANE_H + 16) + '">'
    + esc(w.length > 22 ? "…" + w.slice(-21) : w) + "<title>" + esc(w) + "</title></text>"
    + '<line class="lane" x1="' + LABEL_W + '" x2="' + width + '" y1="' + ((i + 1) * LANE_H) + '" y2="'
    + ((i + 1) * LANE_H) + '"></line>').join("");
  const bars = attempts.map(a => {
    const lane = workers.indexOf(a.workerId);
    const x0 = x(a.start), x1 = Math.max(x0 + 3, x(a.end || now));
    const took = (a.end || now) - a.start;
    return '<rect class="attempt" data-attempt-id="' + esc(a.attemptId) + '" data-job-id="' + esc(a.jobId)
      + '" data-outcome="' + esc(a.outcome || "running") + '" x="' + x0.toFixed(1) + '" y="' + (lane * LANE_H + 4)
      + '" width="' + (x1 - x0).toFixed(1) + '" height="' + (LANE_H - 8) + '" rx="3"><title>' + esc(a.jobId)
      + " · attempt " + a.number + " · " + esc(a.outcome || "running") + " · " + label(took) + "</title></rect>";
  }).join("");
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.innerHTML = axis + lanes + bars;
  svg.onclick = ev => {
    const bar = ev.target.closest && ev.target.closest("rect.attempt");
    if (bar) onSelect(bar.dataset.jobId);
  };
}
