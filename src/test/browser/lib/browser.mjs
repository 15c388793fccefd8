// Shared by the browser tests (run by src/test/java/io/gantry/ui/BrowserScript.java with node --test): Debian's
// chromium driven by playwright-core (never a downloaded browser), and the node under test's public HTTP API.
// The Java side passes GANTRY_URL (the node's http://127.0.0.1:port) and, when the node has one, GANTRY_TOKEN.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.GANTRY_CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--no-first-run"];
export const BASE = requiredEnv("GANTRY_URL");
export const TOKEN = process.env.GANTRY_TOKEN || "";

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(name + " is not set: run the browser tests through their JUnit class (BrowserScript)");
  }
  return value;
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

// A fresh context (own sessionStorage) and page that fails the test on any request to another host than the node,
// and collects the page's console errors and uncaught exceptions.
export async function openPage(browser, path, { width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(BASE).origin;
  page.on("pageerror", e => problems.push("page error: " + e.message));
  page.on("console", m => { if (m.type() === "error") problems.push("console error: " + m.text()); });
  page.on("request", r => {
    const url = new URL(r.url());
    if (url.origin !== origin && url.protocol !== "data:" && url.protocol !== "blob:") {
      problems.push("request to another host: " + r.url());
    }
  });
  await page.goto(new URL(path, BASE).href);
  return { page, context, problems };
}

export async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (TOKEN) {
    headers.Authorization = "Bearer " + TOKEN;
  }
  const res = await fetch(new URL(path, BASE), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(method + " " + path + ": " + res.status + " " + text);
  }
  return text ? JSON.parse(text) : null;
}

export async function submit(document) {
  return (await api("POST", "/execute/distributed", document)).executionId;
}

export function status(executionId) {
  return api("GET", "/execute/" + encodeURIComponent(executionId) + "/status");
}

// Polls fn until it answers something truthy; fails naming what it waited for.
export async function eventually(what, fn, timeoutMs = 30000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error("waited " + timeoutMs + " ms for " + what + " (last: " + (last && last.message || last) + ")");
    }
    await new Promise(r => setTimeout(r, everyMs));
  }
}

export function uniqueId(name) {
  return name + "-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 7);
}
