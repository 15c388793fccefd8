// Draws a laid-out DAG as SVG: one <g class="job" data-job-id data-status> per job, one <path class="edge"
// data-from data-to> per dependency; updates jobs in place as the run moves; pans (drag) and zooms (wheel).
const SVG_NS = "http://www.w3.org/2000/svg";
const PAD = 24;

export function esc(s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;",
    '"': "&quot;", "'": "&#39;" }[c]));
}

function shorten(id, max) {
  return id.length <= max ? id : id.slice(0, max - 1) + "…";
}

function pathOf(points) {
  return points.map((p, i) => (i === 0 ? "M" : "L") + p.x.toFixed(1) + " " + p.y.toFixed(1)).join(" ");
}

export class GraphView {
  constructor(svg, onSelect) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.jobs = new Map();
    this.outgoing = new Map();
    this.view = { x: 0, y: 0, k: 1 };
    this.bindPanZoom();
  }

  draw(result, jobs) {
    this.result = result;
    const small = result.small;
    const edges = result.edges.map(e => '<path class="edge" data-from="' + esc(e.from) + '" data-to="'
      + esc(e.to) + '" d="' + pathOf(e.points) + '" marker-end="url(#arrow)"></path>').join("");
    const nodes = jobs.map(j => {
      const n = result.nodes.get(j.id);
      const inner = small
        ? '<text class="name" x="10" y="18">' + esc(shorten(j.id, 16)) + "</text>"
          + '<rect class="progress" x="0" y="' + (n.h - 3) + '" height="3" width="0"></rect>'
        : '<text class="name" x="14" y="22">' + esc(shorten(j.id, 21)) + "</text>"
          + '<text class="meta" x="14" y="40"></text>'
          + '<rect class="track" x="14" y="' + (n.h - 8) + '" height="3" rx="1.5" width="' + (n.w - 28) + '"></rect>'
          + '<rect class="progress" x="14" y="' + (n.h - 8) + '" height="3" rx="1.5" width="0"></rect>';
      return '<g class="job" tabindex="0" data-job-id="' + esc(j.id) + '" data-status="waiting" data-attempts="0"'
        + ' transform="translate(' + n.x.toFixed(1) + " " + n.y.toFixed(1) + ')"><title>' + esc(j.id) + "</title>"
        + '<rect class="box" width="' + n.w + '" height="' + n.h + '" rx="' + (small ? 5 : 9) + '"></rect>'
        + '<rect class="stripe" width="5" height="' + n.h + '" rx="2"></rect>' + inner + "</g>";
    }).join("");
    this.svg.innerHTML = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
      + ' markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"></path></marker></defs>'
      + '<g class="viewport"><g class="edges">' + edges + '</g><g class="nodes">' + nodes + "</g></g>";
    this.viewport = this.svg.querySelector(".viewport");
    this.jobs.clear();
    this.outgoing.clear();
    for (const g of this.svg.querySelectorAll("g.job")) {
      this.jobs.set(g.dataset.jobId, { g, meta: g.querySelector(".meta"), progress: g.querySelector(".progress"),
        w: result.nodes.get(g.dataset.jobId).w });
    }
    for (const p of this.svg.querySelectorAll("path.edge")) {
      const list = this.outgoing.get(p.dataset.from) || [];
      list.push(p);
      this.outgoing.set(p.dataset.from, list);
    }
    this.svg.classList.toggle("small", small);
    this.fit();
  }

  // job: {status, attempts, progress (0..100 or null)}
  update(id, job) {
    const el = this.jobs.get(id);
    if (!el) {
      return;
    }
    el.g.dataset.status = job.status;
    el.g.dataset.attempts = String(job.attempts || 0);
    const pct = job.status === "completed" ? 100 : Math.max(0, Math.min(100, job.progress || 0));
    const track = this.result.small ? el.w : el.w - 28;
    el.progress.setAttribute("width", (track * pct / 100).toFixed(1));
    if (el.meta) {
      const parts = [job.status];
      if (job.attempts > 1 || (job.attempts === 1 && job.status !== "completed")) {
        parts.push("attempt " + job.attempts);
      }
      if (job.status === "running" && job.progress != null) {
        parts.push(Math.round(job.progress) + "%");
      }
      el.meta.textContent = parts.join(" · ");
    }
    for (const p of this.outgoing.get(id) || []) {
      p.dataset.state = job.status;
    }
  }

  select(id) {
    for (const g of this.svg.querySelectorAll("g.job.selected")) {
      g.classList.remove("selected");
    }
    const el = this.jobs.get(id);
    if (el) {
      el.g.classList.add("selected");
    }
  }

  fit() {
    if (!this.result) {
      return;
    }
    const box = this.svg.getBoundingClientRect();
    const w = Math.max(1, this.result.width + 2 * PAD), h = Math.max(1, this.result.height + 2 * PAD);
    const k = Math.min(1.4, box.width / w, box.height / h);
    this.view = { k, x: (box.width - this.result.width * k) / 2, y: (box.height - this.result.height * k) / 2 };
    this.apply();
  }

  apply() {
    const v = this.view;
    this.viewport.setAttribute("transform", "translate(" + v.x.toFixed(1) + " " + v.y.toFixed(1) + ") scale("
      + v.k.toFixed(4) + ")");
  }

  bindPanZoom() {
    let drag = null;
    this.svg.addEventListener("wheel", ev => {
      if (!this.viewport) return;
      ev.preventDefault();
      const box = this.svg.getBoundingClientRect();
      const mx = ev.clientX - box.left, my = ev.clientY - box.top;
      const k = Math.max(0.02, Math.min(4, this.view.k * Math.exp(-ev.deltaY * 0.0015)));
      this.view.x = mx - (mx - this.view.x) * k / this.view.k;
      this.view.y = my - (my - this.view.y) * k / this.view.k;
      this.view.k = k;
      this.apply();
    }, { passive: false });
    this.svg.addEventListener("pointerdown", ev => {
      drag = { x: ev.clientX, y: ev.clientY, vx: this.view.x, vy: this.view.y, moved: false };
    });
    window.addEventListener("pointermove", ev => {
      if (!drag) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) {
        drag.moved = true;
        this.svg.classList.add("panning");
      }
      this.view.x = drag.vx + dx;
      this.view.y = drag.vy + dy;
      if (drag.moved) this.apply();
    });
    window.addEventListener("pointerup", ev => {
      const wasDrag = drag && drag.moved;
      drag = null;
      this.svg.classList.remove("panning");
      if (wasDrag) return;
      const g = ev.target instanceof Element && this.svg.contains(ev.target) ? ev.target.closest("g.job") : null;
      if (g) this.onSelect(g.dataset.jobId);
    });
    this.svg.addEventListener("keydown", ev => {
      const g = ev.target.closest && ev.target.closest("g.job");
      if (g && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        this.onSelect(g.dataset.jobId);
      }
    });
  }
}
