// Small helpers shared by the dashboard's panels: elements, times, and a poll loop per panel.

export const $ = id => document.getElementById(id);

// An element with attributes (data-* and others) and children (strings or nodes).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k === "class") {
      e.className = v;
    } else if (k === "text") {
      e.textContent = v;
    } else {
      e.setAttribute(k, v === true ? "" : String(v));
    }
  }
  for (const c of children) {
    e.append(c);
  }
  return e;
}

// Sets a text or attribute only when it changed, so a poll that brings nothing new leaves the DOM alone.
export function setText(e, text) {
  const s = String(text);
  if (e.textContent !== s) {
    e.textContent = s;
  }
}

export function setAttr(e, name, value) {
  const s = value === null || value === undefined ? null : String(value);
  if (s === null) {
    e.removeAttribute(name);
  } else if (e.getAttribute(name) !== s) {
    e.setAttribute(name, s);
  }
}

// 1.2 s, 45 s, 3 min 20 s, 2 h 5 min.
export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) {
    return "";
  }
  if (ms < 1000) {
    return Math.round(ms) + " ms";
  }
  const s = ms / 1000;
  if (s < 10) {
    return s.toFixed(1) + " s";
  }
  if (s < 60) {
    return Math.round(s) + " s";
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return m + " min " + Math.round(s % 60) + " s";
  }
  return Math.floor(m / 60) + " h " + (m % 60) + " min";
}

export function ago(epochMs, now = Date.now()) {
  return epochMs ? duration(Math.max(0, now - epochMs)) + " ago" : "";
}

// When the user last gave a token: a run that timed out while the token dialog waited for them did not fail.
let tokenGivenAt = 0;
export function tokenGiven() {
  tokenGivenAt = Date.now();
}

// Runs task() now and again everyMs after each run ends (never two at once, so a slow or hung API cannot pile
// calls up); each run is given an AbortSignal that fires after timeoutMs. onError(e) after a failed run,
// onOk() after a good one.
export function poll(task, { everyMs, timeoutMs = 8000, onOk = () => {}, onError = () => {} }) {
  let timer = 0;
  let running = false;
  let again = false;
  async function run() {
    clearTimeout(timer);
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    const startedAt = Date.now();
    try {
      await task(AbortSignal.timeout(timeoutMs));
      onOk();
    } catch (e) {
      if (e && e.name === "TimeoutError" && tokenGivenAt >= startedAt) {
        again = true;
      } else {
        onError(e);
      }
    } finally {
      running = false;
      timer = setTimeout(run, again ? 0 : everyMs);
    }
  }
  run();
  return { now: run };
}
