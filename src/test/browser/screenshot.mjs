// Takes docs/run-page.png: examples/train-pipeline.json mid-run on the execution page, one training job's detail
// open. Usage (against a node with a worker role, started from the repository root):
//   GANTRY_URL=http://127.0.0.1:8080 node src/test/browser/screenshot.mjs docs/run-page.png
import { readFileSync } from "node:fs";
import { eventually, launchBrowser, openPage, status, submit, uniqueId } from "./lib/browser.mjs";

const out = process.argv[2] || "docs/run-page.png";
const document = JSON.parse(readFileSync("examples/train-pipeline.json", "utf8"));
const id = await submit({ ...document, executionId: uniqueId("train-pipeline") });
const browser = await launchBrowser();
try {
  const { page } = await openPage(browser, "/ui/executions/" + id, { width: 1440, height: 800 });
  await page.waitForSelector("#graph[data-layout='elk']");
  await eventually("the three trainings under way", async () => {
    const jobs = (await status(id)).jobs;
    const progress = j => j.status === "completed" ? 100 : j.status === "running" ? j.progress || 0 : -1;
    const trainings = ["train-small", "train-medium", "train-large"].map(t => progress(jobs[t]));
    return trainings.every(p => p >= 15) && trainings.some(p => p < 100);
  }, 120000, 200);
  await page.click("g.job[data-job-id='train-medium']");
  await page.waitForSelector("#detail[data-job-id='train-medium'] .facts");
  await new Promise(r => setTimeout(r, 700));
  await page.screenshot({ path: out });
  console.log("wrote " + out + " (execution " + id + ")");
} finally {
  await browser.close();
}
