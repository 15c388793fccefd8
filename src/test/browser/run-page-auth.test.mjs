// The execution page against a node with an auth token (RunPageAuthBrowserTest; GANTRY_TOKEN is the node's token).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, launchBrowser, openPage, submit, uniqueId } from "./lib/browser.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test("the API refuses a call without the token", async () => {
  const res = await fetch(BASE + "/execute?limit=1");
  assert.equal(res.status, 401);
  assert.equal((await fetch(BASE + "/ui/executions/anything")).status, 200, "the page itself needs no token");
});

test("the page asks for the token once, refuses a wrong one, and keeps the right one for the tab", async () => {
  assert.ok(TOKEN, "GANTRY_TOKEN is set");
  const id = await submit({ workflowId: "ui-auth", executionId: uniqueId("auth"), jobs: [
    { id: "one", type: "sleep", config: { ms: 300 } }, { id: "two", type: "noop", dependsOn: ["one"] }] });
  const { page, context, problems } = await openPage(browser, "/ui/executions/" + id);
  await page.waitForSelector("#token-dialog[open]");
  assert.equal(await page.$$eval("g.job", gs => gs.length), 0, "nothing is shown before the token");
  await page.fill("#token-input", "not-the-token");
  await page.click("#token-submit");
  await page.waitForFunction(() => document.getElementById("token-dialog").open
    && /refused/.test(document.getElementById("token-reason").textContent));
  await page.fill("#token-input", TOKEN);
  await page.click("#token-submit");
  await page.waitForSelector("g.job[data-job-id='two']");
  assert.deepEqual(await page.$$eval("path.edge", ps => ps.map(p => p.dataset.from + ">" + p.dataset.to)), ["one>two"]);
  await page.waitForFunction(() => document.getElementById("execution-status").dataset.status === "completed",
    null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => sessionStorage.getItem("gantry.token")), TOKEN);
  // The live stream went through fetch with the header: the jobs turned completed on the page.
  assert.equal(await page.$$eval("g.job[data-status='completed']", gs => gs.length), 2);
  await page.reload();
  await page.waitForSelector("g.job[data-job-id='two'][data-status='completed']");
  assert.equal(await page.$eval("#token-dialog", d => d.open), false, "no second question in the same tab");
  await page.click("g.job[data-job-id='one']");
  await page.waitForSelector("#detail[data-job-id='one'] .detail-attempts");
  // Only the two 401s of the first load (one per wrong or missing token) are console errors.
  assert.deepEqual(problems.filter(p => !p.includes("401")), []);
  await context.close();
});
