// Lays out a DAG left to right. Up to ELK_MAX_JOBS jobs: elkjs's layered algorithm in a web worker (the page stays
// responsive while it works); beyond that, or if elk fails or takes too long, a simpler layered layout of our own
// (longest-path layers, one barycentre sweep, straight edges) that handles 10,000 jobs in a fraction of a second.
export const NODE_W = 176;
export const NODE_H = 54;
export const SMALL_W = 120;
export const SMALL_H = 28;
export const ELK_MAX_JOBS = 2000;
// The page shows the simple layout meanwhile for large DAGs, so elk may take its time on a busy machine.
const ELK_TIMEOUT_MS = 60000;

let elk = null;

function elkInstance() {
  if (!elk) {
    elk = new window.ELK({ workerUrl: new URL("vendor/elk-worker.min.js", import.meta.url).href });
  }
  return elk;
}

// Starts elk's worker (loading and compiling 1.6 MB of script) while the page still fetches the execution.
export function warmUp() {
  if (window.ELK) {
    elkInstance().layout({ id: "warm-up", children: [{ id: "a", width: 10, height: 10 }], edges: [] }).catch(() => {});
  }
}

// jobs: [{id, dependsOn: [id]}]. Answers {nodes: Map id -> {x, y, w, h}, edges: [{from, to, points}],
// width, height, engine, ms}.
export async function layout(jobs) {
  const started = performance.now();
  let result = null;
  if (jobs.length <= ELK_MAX_JOBS && window.ELK) {
    try {
      result = await withTimeout(elkLayout(jobs), ELK_TIMEOUT_MS);
    } catch (e) {
      console.warn("elk layout failed, using the simple layered layout", e);
      if (elk) {
        elk.terminateWorker();
      }
      elk = null;
    }
  }
  if (!result) {
    result = layeredLayout(jobs);
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) =>
    setTimeout(() => reject(new Error("layout took over " + ms + " ms")), ms))]);
}

function edgeList(jobs) {
  const ids = new Set(jobs.map(j => j.id));
  const edges = [];
  for (const j of jobs) {
    for (const d of j.dependsOn || []) {
      if (ids.has(d)) {
        edges.push({ from: d, to: j.id });
      }
    }
  }
  return edges;
}

async function elkLayout(jobs) {
  const edges = edgeList(jobs);
  // Past a few hundred jobs elk's defaults take many seconds: one crossing-minimization pass without the greedy
  // switch and Brandes-Koepf placement keep a 1,000-job DAG near a second, still readable.
  const large = jobs.length > 300;
  const graph = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.edgeRouting": "POLYLINE",
      "elk.spacing.nodeNode": "18",
      "elk.layered.spacing.nodeNodeBetweenLayers": "56",
      "elk.layered.spacing.edgeNodeBetweenLayers": "20",
      ...(large ? {
        "elk.layered.thoroughness": "1",
        "elk.layered.crossingMinimization.greedySwitch.type": "OFF",
        "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      } : {}),
    },
    children: jobs.map(j => ({ id: j.id, width: NODE_W, height: NODE_H })),
    edges: edges.map((e, i) => ({ id: "e" + i, sources: [e.from], targets: [e.to] })),
  };
  const out = await elkInstance().layout(graph);
  const nodes = new Map(out.children.map(c => [c.id, { x: c.x, y: c.y, w: c.width, h: c.height }]));
  const laidEdges = out.edges.map((e, i) => {
    const s = (e.sections || [])[0];
    const points = s ? [s.startPoint, ...(s.bendPoints || []), s.endPoint] : straight(nodes, edges[i]);
    return { from: edges[i].from, to: edges[i].to, points };
  });
  return { nodes, edges: laidEdges, width: out.width, height: out.height, engine: "elk", small: false };
}

function straight(nodes, e) {
  const a = nodes.get(e.from), b = nodes.get(e.to);
  return [{ x: a.x + a.w, y: a.y + a.h / 2 }, { x: b.x, y: b.y + b.h / 2 }];
}

// Longest-path layering in topological order, then each layer ordered by the mean position of its dependencies.
export function layeredLayout(jobs) {
  const small = jobs.length > ELK_MAX_JOBS;
  const w = small ? SMALL_W : NODE_W, h = small ? SMALL_H : NODE_H;
  const gapX = small ? 40 : 56, gapY = small ? 8 : 18;
  const edges = edgeList(jobs);
  const index = new Map(jobs.map((j, i) => [j.id, i]));
  const preds = jobs.map(() => []);
  const succs = jobs.map(() => []);
  for (const e of edges) {
    preds[index.get(e.to)].push(index.get(e.from));
    succs[index.get(e.from)].push(index.get(e.to));
  }
  const layer = new Array(jobs.length).fill(0);
  const indegree = preds.map(p => p.length);
  const queue = [];
  indegree.forEach((d, i) => { if (d === 0) queue.push(i); });
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const s of succs[v]) {
      layer[s] = Math.max(layer[s], layer[v] + 1);
      if (--indegree[s] === 0) queue.push(s);
    }
  }
  const layers = [];
  queue.forEach(v => (layers[layer[v]] = layers[layer[v]] || []).push(v));
  const position = new Array(jobs.length).fill(0);
  layers.forEach((members, l) => {
    if (l > 0) {
      const bary = v => preds[v].length ? preds[v].reduce((s, p) => s + position[p], 0) / preds[v].length : 0;
      const keys = new Map(members.map(v => [v, bary(v)]));
      members.sort((a, b) => keys.get(a) - keys.get(b));
    }
    members.forEach((v, i) => { position[v] = i; });
  });
  const tallest = Math.max(1, ...layers.map(m => m.length));
  const nodes = new Map();
  layers.forEach((members, l) => {
    const offset = (tallest - members.length) * (h + gapY) / 2;
    members.forEach((v, i) => nodes.set(jobs[v].id, { x: l * (w + gapX), y: offset + i * (h + gapY), w, h }));
  });
  return {
    nodes,
    edges: edges.map(e => ({ ...e, points: straight(nodes, e) })),
    width: layers.length * (w + gapX) - gapX,
    height: tallest * (h + gapY) - gapY,
    engine: "layered",
    small,
  };
}
