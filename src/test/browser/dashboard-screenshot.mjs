// Takes docs/dashboard.png: the dashboard with examples/train-pipeline.json running a few times, a finished and a
// failed execution, and a job that waits for a capability nobody has. Usage (against a node with a worker role,
// started from the repository root, its Redis with persistence on so that the health line has nothing to say):
//   GANTRY_URL=http://127.0.0.1:8080 node src/test/browser/dashboard-screenshot.mjs docs/dashboard.png
import { readFileSync } from "node:fs";
import { TOKEN, api, eventually, launchBrowser, openPage, status, submit, uniqueId } from "./lib/browser.mjs";

const out = process.argv[2] || "docs/dashboard.png";
const pipeline = JSON.parse(readFileSync("examples/train-pipeline.json", "utf8"));
// Slower epochs, so that several runs are seen mid-way.
for (const job of pipeline.jobs) {
  const at = job.config.command.indexOf("--epoch-seconds");
  if (at >= 0) {
    job.config.command[at + 1] = String(Number(job.config.command[at + 1]) * 6);
  }
}
const wait = ms => new Promise(r => setTimeout(r, ms));

const browser = await launchBrowser();
try {
  const { page } = await openPage(browser, "/", { width: 1440, height: 600 });
  if (TOKEN) {
    await page.waitForSelector("#token-dialog[open]");
    await page.fill("#token-input", TOKEN);
    await page.click("#token-submit");
  }
  await submit({ workflowId: "nightly-report", executionId: uniqueId("nightly-report"), jobs: [
    { id: "extract", type: "sleep", config: { ms: 300 } },
    { id: "render", type: "noop", dependsOn: ["extract"] }, { id: "mail", type: "noop", dependsOn: ["render"] }] });
  await submit({ workflowId: "ingest-logs", executionId: uniqueId("ingest-logs"), jobs: [
    { id: "fetch", type: "sleep", config: { ms: 200 } },
    { id: "parse", type: "fail", maxRetries: 0, dependsOn: ["fetch"], config: { message: "bad record at line 8812" } },
    { id: "load", type: "noop", dependsOn: ["parse"] }, { id: "index", type: "noop", dependsOn: ["fetch"] }] });
  await submit({ workflowId: "fine-tune-llm", executionId: uniqueId("fine-tune-llm"), jobs: [
    { id: "tokenize", type: "noop" },
    { id: "train", type: "noop", dependsOn: ["tokenize"], requiredCapabilities: ["gpu"] }] });
  const runs = [];
  for (let i = 0; i < 3; i++) {
    runs.push(await submit({ ...pipeline, executionId: uniqueId("train-pipeline") }));
    await wait(2500);
  }
  await eventually("the last run's trainings under way", async () => {
    const last = (await status(runs[runs.length - 1])).jobs;
    return ["train-small", "train-medium"].some(t => last[t].status === "running" && (last[t].progress || 0) >= 10);
  }, 120000, 200);
  // An HTTP worker of another pool, idle: registered (and heartbeating once) just for the picture.
  const render = uniqueId("render-farm");
  await api("POST", "/workers/register", { workerId: render, pool: "render-farm", hostname: "render-7", pid: 4242,
    capabilities: ["cpu", "high-memory"], maxConcurrency: 8, jobTypes: ["render"] });
  await page.waitForSelector("#workers tr[data-worker-id='" + render + "']");
  await wait(1600);
  await page.screenshot({ path: out });
  await api("DELETE", "/workers/" + render);
  console.log("wrote " + out);
} finally {
  await browser.close();
}
