// The execution page (/ui/executions/{id}) in a real browser against a real node (RunPageBrowserTest).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { api, launchBrowser, openPage, status, submit, uniqueId } from "./lib/browser.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const sleep = (id, ms, dependsOn = []) => ({ id, type: "sleep", dependsOn, config: { ms } });

function pageOf(executionId) {
  return "/ui/executions/" + encodeURIComponent(executionId);
}

// Every data-status value a job went through on the page, recorded in the page itself.
async function recordStatuses(page) {
  await page.evaluate(() => {
    window.__seen = {};
    window.__loadedOnce = true;
    new MutationObserver(records => {
      for (const r of records) {
        const g = r.target;
        if (g.dataset && g.dataset.jobId) {
          (window.__seen[g.dataset.jobId] ||= []).push(g.dataset.status);
        }
      }
    }).observe(document.getElementById("graph"), { subtree: true, attributes: true, attributeFilter: ["data-status"] });
  });
}

test("a diamond is drawn with every job and edge and followed to completed without a reload", async () => {
  const id = await submit({ workflowId: "ui-diamond", executionId: uniqueId("diamond"), jobs: [
    sleep("extract", 1000), sleep("left", 1500, ["extract"]), sleep("right", 1500, ["extract"]),
    sleep("merge", 1000, ["left", "right"])] });
  // Held (through the API, not the page) until the page is drawn, so that it has a run to follow however slow
  // the machine is.
  await api("POST", "/execute/" + id + "/pause");
  const { page, context, problems } = await openPage(browser, pageOf(id));
  await page.waitForSelector("#graph[data-layout='elk'] g.job[data-job-id='merge']");
  await recordStatuses(page);
  await api("POST", "/execute/" + id + "/resume");
  const jobs = await page.$$eval("g.job", gs => gs.map(g => g.dataset.jobId).sort());
  assert.deepEqual(jobs, ["extract", "left", "merge", "right"]);
  const edges = await page.$$eval("path.edge", ps => ps.map(p => p.dataset.from + ">" + p.dataset.to).sort());
  assert.deepEqual(edges, ["extract>left", "extract>right", "left>merge", "right>merge"]);
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "completed",
    null, { timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll("g.job")].every(g => g.dataset.status === "completed"));
  const seen = await page.evaluate(() => window.__seen);
  assert.ok(["left", "right", "merge"].every(j => (seen[j] || []).includes("running")),
    "the page showed a job running before it completed: " + JSON.stringify(seen));
  assert.equal(await page.evaluate(() => window.__loadedOnce), true, "the page was not reloaded");
  assert.equal((await status(id)).status, "completed");
  assert.match(await page.textContent("g.job[data-job-id='merge'] .meta"), /completed/);
  // The timeline redraws at most every 250 ms: one completed bar per job.
  await page.waitForFunction(() => document.querySelectorAll("#timeline rect.attempt[data-outcome='completed']").length === 4);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a failed job's detail shows its error, its logs and why its dependant was skipped", async () => {
  const id = await submit({ workflowId: "ui-failure", executionId: uniqueId("failure"), jobs: [
    { id: "crunch", type: "shell", maxRetries: 0,
      config: { command: ["sh", "-c", "echo reading shard 7; echo 'disk quota exceeded' >&2; exit 3"] } },
    { id: "publish", type: "noop", dependsOn: ["crunch"] }] });
  const { page, context, problems } = await openPage(browser, pageOf(id));
  await page.waitForSelector("g.job[data-job-id='crunch'][data-status='failed']", { timeout: 30000 });
  await page.waitForSelector("g.job[data-job-id='publish'][data-status='skipped']");
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "failed");
  await page.click("g.job[data-job-id='crunch']");
  await page.waitForSelector("#detail[data-job-id='crunch'] .detail-error");
  const detail = (await status(id)).jobs.crunch;
  assert.equal(await page.textContent("#detail .detail-error"), detail.error);
  assert.match(detail.error, /3/);
  const logs = await page.textContent("#detail .detail-logs");
  assert.match(logs, /reading shard 7/);
  assert.match(logs, /disk quota exceeded/);
  assert.equal(await page.$$eval("#detail .detail-attempts tbody tr", rows => rows.length), 1);
  assert.match(await page.textContent("#detail .detail-attempts td.outcome"), /fail/);
  assert.equal(await page.isEnabled("#retry"), true);
  assert.equal(await page.isEnabled("#pause"), false);
  await page.click("g.job[data-job-id='publish']");
  const skipped = await page.waitForSelector("#detail[data-job-id='publish'] .detail-blocked");
  assert.match(await skipped.textContent(), /crunch failed/);
  // Retry from the page: the page follows the second run (a new event stream) to its end.
  await page.click("g.job[data-job-id='crunch']");
  await page.waitForSelector("#detail[data-job-id='crunch'] .detail-error");
  await page.click("#retry");
  await page.waitForSelector("g.job[data-job-id='crunch'][data-attempts='2'][data-status='failed']", { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "failed");
  assert.equal((await status(id)).jobs.crunch.attempts, 2);
  await page.waitForSelector("#detail[data-job-id='crunch'] .detail-attempts tbody tr:nth-child(2)");
  await page.waitForFunction(() =>
    document.querySelectorAll("#timeline rect.attempt[data-job-id='crunch'][data-outcome='failed']").length === 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test("cancel from the page", async () => {
  const id = await submit({ workflowId: "ui-cancel", executionId: uniqueId("cancel"), jobs: [
    sleep("long", 20000), sleep("after", 100, ["long"])] });
  const { page, context, problems } = await openPage(browser, pageOf(id));
  await page.waitForSelector("g.job[data-job-id='long'][data-status='running']", { timeout: 30000 });
  await page.click("#cancel");
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "cancelled",
    null, { timeout: 30000 });
  await page.waitForSelector("g.job[data-job-id='long'][data-status='cancelled']");
  assert.equal((await status(id)).status, "cancelled");
  assert.equal(await page.isEnabled("#cancel"), false);
  assert.equal(await page.isEnabled("#retry"), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test("pause and resume from the page", async () => {
  const id = await submit({ workflowId: "ui-pause", executionId: uniqueId("pause"), jobs: [
    sleep("first", 5000), sleep("second", 500, ["first"]), sleep("third", 500, ["second"])] });
  const { page, context, problems } = await openPage(browser, pageOf(id));
  await page.waitForSelector("g.job[data-job-id='first'][data-status='running']", { timeout: 30000 });
  await page.click("#pause");
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "paused");
  const paused = await status(id);
  assert.equal(paused.status, "paused");
  assert.equal(paused.jobs.second.status, "waiting", "paused while the first job still ran");
  assert.equal(await page.isEnabled("#resume"), true);
  // The running job finishes; the next one waits while the execution is paused, and its detail says so.
  await page.waitForSelector("g.job[data-job-id='first'][data-status='completed']", { timeout: 30000 });
  await page.click("g.job[data-job-id='second']");
  const blocked = await page.waitForSelector("#detail[data-job-id='second'] .detail-blocked");
  assert.equal(await blocked.getAttribute("data-blocked-by"), "execution-paused");
  assert.match(await blocked.textContent(), /paused/);
  await new Promise(r => setTimeout(r, 1000));
  assert.notEqual((await status(id)).jobs.second.status, "running");
  assert.notEqual(await page.getAttribute("g.job[data-job-id='second']", "data-status"), "running");
  await page.click("#resume");
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "completed",
    null, { timeout: 30000 });
  assert.equal((await status(id)).status, "completed");
  assert.deepEqual(problems, []);
  await context.close();
});

// 10 layers of 100 jobs, each depending on two jobs of the layer before: 1,000 jobs, 1,800 dependencies.
function layeredDag(layers, width) {
  const jobs = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const dependsOn = l === 0 ? [] : [`j${l - 1}-${i}`, `j${l - 1}-${(i * 7 + 3) % width}`];
      jobs.push({ id: `j${l}-${i}`, type: "noop", dependsOn: [...new Set(dependsOn)] });
    }
  }
  return jobs;
}

const LAYOUT_LIMIT_MS = 2000;

test("a 1,000-job DAG is drawn in under 2 s, then laid out by elk", async () => {
  const jobs = layeredDag(10, 100);
  const edgeCount = jobs.reduce((n, j) => n + j.dependsOn.length, 0);
  const id = await submit({ workflowId: "ui-large", executionId: uniqueId("large"), jobs });
  const { page, context, problems } = await openPage(browser, pageOf(id));
  await page.waitForFunction(() => document.getElementById("graph").dataset.layout !== "pending", null,
    { timeout: 60000 });
  const first = Number(await page.getAttribute("#graph", "data-first-layout-ms"));
  const drawnAt = Number(await page.getAttribute("#graph", "data-first-drawn-at-ms"));
  console.log("1,000 jobs: first layout " + first + " ms, drawn " + drawnAt + " ms after navigation");
  assert.ok(first < LAYOUT_LIMIT_MS, "the first 1,000-job layout took " + first + " ms");
  assert.equal(await page.$$eval("g.job", gs => gs.length), 1000);
  await page.waitForSelector("#graph[data-layout='elk']", { state: "attached", timeout: 90000 });
  console.log("1,000 jobs: elk (web worker) " + await page.getAttribute("#graph", "data-layout-ms") + " ms");
  assert.equal(await page.$$eval("g.job", gs => gs.length), 1000);
  assert.equal(await page.$$eval("path.edge", ps => ps.length), edgeCount);
  // Jobs are placed left to right by dependency: every edge goes rightwards.
  const leftward = await page.$$eval("path.edge", ps => ps.filter(p => {
    const pos = id => document.querySelector(`g.job[data-job-id="${id}"]`).transform.baseVal[0].matrix.e;
    return pos(p.dataset.to) <= pos(p.dataset.from);
  }).length);
  assert.equal(leftward, 0);
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "completed",
    null, { timeout: 120000 });
  assert.equal(await page.$$eval("g.job[data-status='completed']", gs => gs.length), 1000);
  assert.deepEqual(problems, []);
  await context.close();
});

test("10,000 jobs fall back to the simple layered layout, fast", async () => {
  const { page, context, problems } = await openPage(browser, "/ui/executions/none-such");
  await page.waitForSelector("#message.error");
  assert.match(await page.textContent("#message"), /no execution 'none-such'/);
  const result = await page.evaluate(async dag => {
    const { layout } = await import("/ui/layout.js");
    const r = await layout(dag);
    return { engine: r.engine, ms: r.ms, nodes: r.nodes.size, edges: r.edges.length,
      rightwards: r.edges.every(e => r.nodes.get(e.to).x > r.nodes.get(e.from).x) };
  }, layeredDag(50, 200));
  console.log("10,000-job layout (simple layered): " + result.ms + " ms");
  assert.equal(result.engine, "layered");
  assert.equal(result.nodes, 10000);
  assert.equal(result.rightwards, true);
  assert.ok(result.ms < LAYOUT_LIMIT_MS, "the 10,000-job layout took " + result.ms + " ms");
  assert.deepEqual(problems.filter(p => !p.includes("404")), []);
  await context.close();
});
