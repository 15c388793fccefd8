// The dashboard (/) in a real browser against a real node with a token (DashboardBrowserTest). One page is opened
// once, given the token once, and watched through every test: nothing reloads it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, api, eventually, launchBrowser, openPage, submit, uniqueId } from "./lib/browser.mjs";

const REDIS_PID = Number(process.env.GANTRY_TEST_REDIS_PID || 0);
let browser, page, context, problems;

before(async () => { browser = await launchBrowser(); });
after(async () => {
  if (REDIS_PID) {
    try { process.kill(REDIS_PID, "SIGCONT"); } catch (e) { /* gone already */ }
  }
  await browser?.close();
});

const sleep = (id, ms, dependsOn = []) => ({ id, type: "sleep", dependsOn, config: { ms } });
const row = id => "#executions tr[data-execution-id='" + id + "']";

async function rowData(id) {
  return page.$eval(row(id), tr => ({ status: tr.dataset.status, workflow: tr.dataset.workflow,
    done: Number(tr.querySelector(".progress").dataset.done), total: Number(tr.querySelector(".progress").dataset.total),
    widths: Object.fromEntries([...tr.querySelectorAll(".progress .seg")].map(s => [s.dataset.kind, s.style.width])),
    href: tr.querySelector("a").href }));
}

async function shownIds() {
  return page.$$eval("#executions tr", trs => trs.map(tr => tr.dataset.executionId));
}

test("the page needs no token, its API calls do: it asks once, then shows the data", async () => {
  assert.equal((await fetch(BASE + "/")).status, 200);
  assert.equal((await fetch(BASE + "/execute?limit=1")).status, 401);
  assert.equal((await fetch(BASE + "/queue/stats")).status, 401);
  ({ page, context, problems } = await openPage(browser, "/"));
  await page.waitForSelector("#token-dialog[open]");
  assert.equal(await page.$$eval("#workers tr", trs => trs.length), 0, "nothing is shown before the token");
  await page.fill("#token-input", TOKEN);
  await page.click("#token-submit");
  await page.waitForSelector("#workers tr[data-kind='cluster']");
  await page.waitForSelector("#queue-stats .stat[data-stat='queued'][data-count]");
  assert.equal(await page.$eval("#token-dialog", d => d.open), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("gantry.token")), TOKEN);
  await page.evaluate(() => { window.__loadedOnce = true; });
  assert.equal(await page.isHidden("#health"), true, "a healthy node shows no unhealthy line");
});

test("executions are listed newest first, their progress bars move to completed without a reload", async () => {
  const first = await submit({ workflowId: "dash-diamond", executionId: uniqueId("first"), jobs: [sleep("only", 100)] });
  await page.waitForSelector(row(first));
  await new Promise(r => setTimeout(r, 20));
  const id = await submit({ workflowId: "dash-diamond", executionId: uniqueId("diamond"), jobs: [
    sleep("extract", 1500), sleep("left", 1500, ["extract"]), sleep("right", 1500, ["extract"]),
    sleep("merge", 1500, ["left", "right"])] });
  const failed = await submit({ workflowId: "dash-failing", executionId: uniqueId("failing"), jobs: [
    { id: "boom", type: "fail", maxRetries: 0, config: { message: "no luck" } },
    { id: "after", type: "noop", dependsOn: ["boom"] }, { id: "fine", type: "noop" }] });
  await page.waitForSelector(row(id));
  await page.evaluate(rowId => {
    window.__done = [];
    const bar = document.querySelector("#executions tr[data-execution-id='" + rowId + "'] .progress");
    new MutationObserver(() => window.__done.push(Number(bar.dataset.done)))
      .observe(bar, { attributes: true, attributeFilter: ["data-done"] });
  }, id);
  const ids = await shownIds();
  assert.ok(ids.indexOf(id) < ids.indexOf(first), "newest first: " + ids);
  await page.waitForSelector(row(id) + "[data-status='completed'] .progress[data-done='4'][data-total='4']",
    { timeout: 30000 });
  const seen = await page.evaluate(() => window.__done);
  assert.ok(seen.some(n => n > 0 && n < 4), "the bar showed the run part done before the end: " + seen);
  assert.equal((await rowData(id)).widths.completed, "100%");
  await page.waitForSelector(row(failed) + "[data-status='failed'] .progress[data-known='yes']", { timeout: 30000 });
  const f = await rowData(failed);
  assert.equal(f.total, 3);
  assert.equal(f.done, 1);
  assert.ok(parseFloat(f.widths.failed) > 30 && parseFloat(f.widths.cancelled) > 30, JSON.stringify(f.widths));
  assert.equal(await page.evaluate(() => window.__loadedOnce), true, "the page was not reloaded");
  // The link opens the run page in the same tab: the token is kept, no second question.
  assert.equal(f.href, BASE + "/ui/executions/" + failed);
  await page.click(row(failed) + " td.id a");
  await page.waitForSelector("g.job[data-job-id='boom'][data-status='failed']", { timeout: 20000 });
  assert.equal(await page.$eval("#token-dialog", d => d.open), false);
  await page.goBack();
  await page.waitForSelector(row(failed));
  await page.evaluate(() => { window.__loadedOnce = true; });
});

test("filters by workflow and status, kept in the address; More pages through older executions", async () => {
  const other = await submit({ workflowId: "dash-other", executionId: uniqueId("other"), jobs: [sleep("a", 10)] });
  await page.fill("#filter-workflow", "dash-other");
  await eventually("only dash-other", async () => {
    const ids = await shownIds();
    return ids.length === 1 && ids[0] === other;
  }, 15000);
  assert.match(page.url(), /workflow=dash-other/);
  await page.fill("#filter-workflow", "");
  await page.selectOption("#filter-status", "failed");
  await eventually("only failed executions", async () => {
    const statuses = await page.$$eval("#executions tr", trs => trs.map(tr => tr.dataset.status));
    return statuses.length >= 1 && statuses.every(s => s === "failed");
  }, 15000);
  assert.match(page.url(), /status=failed/);
  await page.selectOption("#filter-status", "");
  // 60 executions: a page of 50, then More.
  const many = uniqueId("dash-many");
  for (let batch = 0; batch < 6; batch++) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => submit({ workflowId: many,
      executionId: many + "-" + (batch * 10 + i), jobs: [{ id: "n", type: "noop" }] })));
  }
  // One newer execution of another workflow: the unfiltered first page then is not 50 of them, so the check below
  // can only pass once the filtered listing is shown.
  await submit({ workflowId: "dash-other", executionId: uniqueId("other"), jobs: [{ id: "n", type: "noop" }] });
  const workflowsShown = () => page.$$eval("#executions tr", trs => trs.map(tr => tr.dataset.workflow));
  try {
    await page.fill("#filter-workflow", many);
    await eventually("a first page of 50 of " + many, async () => {
      const shown = await workflowsShown();
      return shown.length === 50 && shown.every(w => w === many);
    }, 20000);
    // The button follows the listing's nextCursor, which the next poll brings if this one raced the render.
    await eventually("More offered for the older 10", () => page.isVisible("#more"), 10000);
    await page.click("#more");
    await eventually("all 60 after More", async () => (await shownIds()).length === 60, 15000);
    assert.equal(new Set(await shownIds()).size, 60);
    assert.ok((await workflowsShown()).every(w => w === many));
    await page.waitForSelector("#more", { state: "hidden" });
  } finally {
    await page.click("#filter-clear");
  }
  await page.waitForFunction(() => document.querySelectorAll("#executions tr").length === 50);
  assert.equal(page.url(), BASE + "/");
});

test("the backlog of a capability nobody has grows old; the queue pauses and resumes from the page", async () => {
  const id = await submit({ workflowId: "dash-nobody", executionId: uniqueId("nobody"), jobs: [
    { id: "big", type: "noop", requiredCapabilities: ["high-memory"] }] });
  const backlog = "#backlog tr[data-capability='high-memory']";
  await page.waitForSelector(backlog + "[data-queued='1']", { timeout: 20000 });
  const age = async () => Number(await page.$eval(backlog, tr => tr.dataset.ageMs));
  const firstAge = await age();
  await eventually("the oldest age to grow", async () => (await age()) >= firstAge + 1500, 15000);
  assert.match(await page.textContent(backlog + " td.age"), /s$/);
  assert.equal(await page.isHidden("#health"), true, "a job nobody can take is not a health problem");

  assert.equal(await page.isEnabled("#queue-resume"), false);
  await page.click("#queue-pause");
  await eventually("/queue/stats paused", async () => (await api("GET", "/queue/stats")).paused === true, 15000);
  await page.waitForSelector("#queue-state[data-paused='true']");
  assert.equal(await page.isEnabled("#queue-pause"), false);
  await page.click("#queue-resume");
  await eventually("/queue/stats dispatching", async () => (await api("GET", "/queue/stats")).paused === false, 15000);
  await page.waitForSelector("#queue-state[data-paused='false']");
  await api("POST", "/execute/" + id + "/cancel");
  await page.waitForSelector(backlog, { state: "detached", timeout: 20000 });
});

test("workers with their load; an HTTP worker gone silent is on the unhealthy line until it leaves", async () => {
  const worker = uniqueId("dash-http");
  await api("POST", "/workers/register", { workerId: worker, pool: "render-farm", hostname: "render-7", pid: 4242,
    capabilities: ["gpu"], maxConcurrency: 2, jobTypes: ["render"] });
  const http = "#workers tr[data-worker-id='" + worker + "']";
  await page.waitForSelector(http + "[data-kind='http']");
  assert.equal(await page.textContent(http + " td.pool"), "render-farm");
  assert.equal(await page.textContent(http + " .chip"), "gpu");
  assert.equal(await page.textContent(http + " td.load small"), "0 / 2");
  const cluster = "#workers tr[data-kind='cluster']";
  assert.equal(await page.getAttribute(cluster, "data-max"), "3");
  await page.evaluate(() => {
    window.__running = [];
    const tr = document.querySelector("#workers tr[data-kind='cluster']");
    new MutationObserver(() => window.__running.push(Number(tr.dataset.running)))
      .observe(tr, { attributes: true, attributeFilter: ["data-running"] });
  });
  const id = await submit({ workflowId: "dash-load", executionId: uniqueId("load"), jobs: [
    sleep("a", 3000), sleep("b", 3000), sleep("c", 3000)] });
  await page.waitForSelector(cluster + "[data-running='3']", { timeout: 20000 });
  assert.equal(await page.$eval(cluster + " .meter > span", s => s.style.width), "100%");
  await page.waitForSelector(row(id) + "[data-status='completed']", { timeout: 30000 });
  await page.waitForSelector(cluster + "[data-running='0']", { timeout: 15000 });
  // It never heartbeats: after 1.5 heartbeat intervals (7.5 s) it is unhealthy.
  await page.waitForSelector("#health:not([hidden]) .problem[data-kind='worker']", { timeout: 20000 });
  assert.match(await page.textContent("#health"), new RegExp(worker));
  // It leaves: deregistered here, or already expired by itself (2 intervals after registering, 10 s) when a loaded
  // machine took that long to get this far; either way the unhealthy line must go.
  await api("DELETE", "/workers/" + worker).catch(e => {
    if (!/: 404 /.test(e.message)) {
      throw e;
    }
  });
  await page.waitForSelector("#health", { state: "hidden", timeout: 15000 });
});

test("a read-only token sees the data; pausing the queue is refused with the reason shown", async () => {
  const viewer = process.env.GANTRY_READ_TOKEN;
  assert.ok(viewer, "GANTRY_READ_TOKEN is set");
  const other = await openPage(browser, "/");
  try {
    await other.page.waitForSelector("#token-dialog[open]");
    await other.page.fill("#token-input", viewer);
    await other.page.click("#token-submit");
    await other.page.waitForSelector("#workers tr[data-kind='cluster']");
    await other.page.waitForSelector("#executions tr[data-status='completed']");
    await other.page.waitForSelector("#queue-pause:not([disabled])");
    await other.page.click("#queue-pause");
    await other.page.waitForFunction(() => /pause refused/.test(document.getElementById("queue-message").textContent));
    assert.match(await other.page.textContent("#queue-message"), /read/);
    assert.equal((await api("GET", "/queue/stats")).paused, false);
    assert.equal(await other.page.$eval("#queue-state", s => s.dataset.paused), "false");
    assert.deepEqual(other.problems.filter(p => !/status of (401|403)/.test(p)), []);
  } finally {
    await other.context.close();
  }
});

test("the unhealthy line when Redis stops answering, gone once it answers again", async () => {
  assert.ok(REDIS_PID > 0, "GANTRY_TEST_REDIS_PID is set");
  process.kill(REDIS_PID, "SIGSTOP");
  try {
    await page.waitForSelector("#health[data-health='down'] .problem[data-kind='redis']", { timeout: 20000 });
    assert.match(await page.textContent("#health .problem[data-kind='redis']"), /Redis at 127\.0\.0\.1:\d+/);
  } finally {
    process.kill(REDIS_PID, "SIGCONT");
  }
  await page.waitForSelector("#health", { state: "hidden", timeout: 40000 });
  const id = await submit({ workflowId: "dash-after", executionId: uniqueId("after"), jobs: [sleep("x", 200)] });
  await page.waitForSelector(row(id) + "[data-status='completed']", { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.__loadedOnce), true, "the page was not reloaded");
  // Only the first load's 401 (before the token) and the calls Redis's stop failed are console errors.
  assert.deepEqual(problems.filter(p => !/status of (401|503)/.test(p)), []);
  await context.close();
});
