// The side panel: one job's detail from GET /execute/{id}/jobs/{jobId}, with blockedBy said in words.
import { getJson } from "./api.js";
import { esc } from "./graph.js";

const BLOCKED = {
  "dependencies": () => "It waits for its dependencies to complete",
  "execution-paused": () => "It waits because the execution is paused (Resume above lets it go on)",
  "queue-paused": () => "It waits because the queue is paused cluster-wide (POST /queue/resume)",
  "no-capable-worker": () => "It waits for a worker that has the capabilities and job type it needs: none is registered",
  "capacity-full": () => "It is queued: every worker that could run it is busy",
  "concurrency-key": () => "It waits for another job with the same concurrencyKey to finish",
  "rate-limit": () => "It waits for the queue's rate limit (gantry.queue.rate-limit)",
  "backoff": d => "It waits out its retry backoff" + (d.nextAttemptAt ? " until " + time(d.nextAttemptAt) : ""),
};

function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString() : "—";
}

function took(from, to) {
  if (!from) return "—";
  const ms = (to || Date.now()) - from;
  return ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
}

function json(value) {
  return value == null ? '<span class="muted">none</span>'
    : "<pre>" + esc(JSON.stringify(value, null, 2)) + "</pre>";
}

// jobOf(id): the page's view of a job ({status, becauseOf}).
export function blockedInWords(detail, jobOf) {
  if (detail.status === "skipped") {
    const cause = jobOf && jobOf(detail.jobId).becauseOf;
    return "Skipped: " + (cause ? "its upstream job " + cause : "an upstream job") + " failed for good";
  }
  if (!detail.blockedBy) return null;
  const words = (BLOCKED[detail.blockedBy] || (() => "It waits: " + detail.blockedBy))(detail);
  if (detail.blockedBy === "dependencies" && jobOf) {
    const open = (detail.dependsOn || []).filter(d => jobOf(d).status !== "completed");
    if (open.length) {
      return words + ": " + open.map(d => d + " (" + (jobOf(d).status || "?") + ")").join(", ");
    }
  }
  return words;
}

export async function showDetail(panel, executionId, jobId, jobOf) {
  const d = await getJson("execute/" + encodeURIComponent(executionId) + "/jobs/" + encodeURIComponent(jobId));
  if (panel.dataset.jobId !== jobId) {
    return;
  }
  const blocked = blockedInWords(d, jobOf);
  const history = d.attemptHistory || [];
  const rows = history.map(a => '<tr data-attempt-id="' + esc(a.attemptId) + '"><td>' + a.number + "</td><td>"
    + esc(a.workerId || "—") + "</td><td>" + time(a.startedAt) + "</td><td>" + took(a.startedAt, a.endedAt)
    + '</td><td class="outcome" data-outcome="' + esc(a.outcome || "running") + '">' + esc(a.outcome || "running")
    + (a.error ? '<div class="attempt-error">' + esc(a.error) + "</div>" : "") + "</td></tr>").join("");
  panel.dataset.status = d.status;
  panel.innerHTML = '<div class="detail-head"><h2>' + esc(d.jobId) + '</h2><span class="pill" data-status="'
    + esc(d.status) + '">' + esc(d.status) + '</span><button class="small close" title="close">×</button></div>'
    + '<dl class="facts"><dt>type</dt><dd>' + esc(d.type) + "</dd><dt>pool</dt><dd>" + esc(d.pool) + "</dd>"
    + "<dt>priority</dt><dd>" + esc(d.priority) + "</dd><dt>attempts</dt><dd>" + d.attempts + " of at most "
    + (d.maxRetries + 1) + "</dd><dt>worker</dt><dd>" + esc(d.workerId || "—") + "</dd>"
    + "<dt>queued</dt><dd>" + time(d.queuedAt) + "</dd><dt>started</dt><dd>" + time(d.startedAt) + "</dd>"
    + "<dt>finished</dt><dd>" + time(d.completedAt) + "</dd>"
    + (d.progress != null && d.status === "running" ? "<dt>progress</dt><dd>" + Math.round(d.progress) + "%</dd>" : "")
    + "<dt>depends on</dt><dd>" + (d.dependsOn.length ? esc(d.dependsOn.join(", ")) : "nothing") + "</dd></dl>"
    + (blocked ? '<p class="detail-blocked" data-blocked-by="' + esc(d.blockedBy || d.status) + '">' + esc(blocked) + "</p>" : "")
    + (d.error ? '<h3>Error</h3><pre class="detail-error">' + esc(d.error) + "</pre>" : "")
    + "<h3>Attempts</h3>" + (rows ? '<table class="detail-attempts"><thead><tr><th>#</th><th>worker</th>'
      + "<th>started</th><th>took</th><th>outcome</th></tr></thead><tbody>" + rows + "</tbody></table>"
      : '<p class="muted">none yet</p>')
    + "<h3>Last checkpoint</h3>" + json(d.lastCheckpoint)
    + '<h3>Logs (tail)</h3>' + (d.logs ? '<pre class="detail-logs">' + esc(d.logs) + "</pre>"
      : '<p class="muted detail-logs-empty">no logs</p>')
    + "<h3>Output</h3>" + '<div class="detail-output">' + json(d.output) + "</div>";
  panel.querySelector(".close").onclick = () => {
    panel.dataset.jobId = "";
    panel.innerHTML = '<h2>Job</h2><p class="muted">Click a job in the graph to see its detail.</p>';
    panel.dispatchEvent(new CustomEvent("closed"));
  };
}
