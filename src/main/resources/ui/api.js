// The public HTTP API as the pages see it: JSON calls and the event stream, with the bearer token the user gave
// (asked for once on a 401, kept in sessionStorage under "gantry.token", shared with the dashboard).
export const TOKEN_KEY = "gantry.token";

// Resolves paths against the node's root (the parent of this module's ui/), so the pages (/ and /ui/...) also work
// behind a proxy that adds a path prefix.
const root = new URL("../", import.meta.url);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let tokenPrompt = null;

function headers(extra) {
  const h = new Headers(extra || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    h.set("Authorization", "Bearer " + token);
  }
  return h;
}

// The token dialog, the same on every page that loads this module (modules run after the document is parsed).
function tokenDialog() {
  let dialog = document.getElementById("token-dialog");
  if (!dialog) {
    dialog = document.createElement("dialog");
    dialog.id = "token-dialog";
    dialog.innerHTML = '<form method="dialog" id="token-form"><h2>This node needs a token</h2>'
      + '<p class="muted" id="token-reason"></p>'
      + '<input id="token-input" type="password" autocomplete="off" placeholder="bearer token" required>'
      + '<button id="token-submit" type="submit">Use token</button></form>';
    document.body.appendChild(dialog);
  }
  return dialog;
}
tokenDialog();

// One dialog for every call that met a 401 at the same time; resolves once the user gave a token.
function askForToken(refused) {
  if (!tokenPrompt) {
    tokenPrompt = new Promise(resolve => {
      const dialog = tokenDialog();
      const input = document.getElementById("token-input");
      document.getElementById("token-reason").textContent = refused
        ? "The node refused that token (401): enter a token the node was given (any role)."
        : "The API answered 401: enter a token the node was given (any role). It is kept in this browser tab only.";
      input.value = "";
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        tokenPrompt = null;
        resolve();
      });
      dialog.showModal();
      input.focus();
    });
  }
  return tokenPrompt;
}

// fetch against the API; on 401 asks for a token and tries again (until the node takes one).
export async function apiFetch(path, init = {}) {
  for (;;) {
    const sent = sessionStorage.getItem(TOKEN_KEY);
    const res = await fetch(new URL(path, root), { ...init, headers: headers(init.headers) });
    if (res.status !== 401) {
      return res;
    }
    await askForToken(Boolean(sent));
  }
}

async function errorOf(res) {
  try {
    const body = await res.json();
    return new ApiError(res.status, body.error && body.error.code, (body.error && body.error.message) || res.statusText);
  } catch (e) {
    return new ApiError(res.status, null, res.status + " " + res.statusText);
  }
}

export async function getJson(path, init = {}) {
  const res = await apiFetch(path, { ...init, headers: { Accept: "application/json" } });
  if (!res.ok) {
    throw await errorOf(res);
  }
  return res.json();
}

export async function postJson(path, body) {
  const res = await apiFetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
    body: body === undefined ? "{}" : JSON.stringify(body) });
  if (!res.ok) {
    throw await errorOf(res);
  }
  return res.json();
}

// Reads Server-Sent Events through fetch (EventSource cannot send the Authorization header). Calls
// onEvent({type, id, data}) per event; resolves when the server ends the stream (after the execution's final event).
export async function streamEvents(path, onEvent, signal) {
  const res = await apiFetch(path, { headers: { Accept: "text/event-stream" }, signal });
  if (!res.ok) {
    throw await errorOf(res);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (event) {
        onEvent(event);
      }
    }
  }
}

function parseBlock(block) {
  let type = "message", id = null;
  const data = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) {
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") {
      type = value;
    } else if (field === "data") {
      data.push(value);
    } else if (field === "id") {
      id = value;
    }
  }
  if (data.length === 0) {
    return null;
  }
  return { type, id, data: JSON.parse(data.join("\n")) };
}
