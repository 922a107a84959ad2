// The page's door to the JSON API (docs/design.md, "Doors"): after login the browser has no
// bearer token, only the HttpOnly page cookie, so every call to /api/v1 carries the CSRF
// header, GET included (the API ignores the cookie without it). A refusal comes back as
// problem+json with a Dutch title, thrown as a Problem.
import { wireJson } from "../crypto.js";
import { OFFLINE, Problem, csrfToken } from "./common.js";

export async function pageJson(method, path, json = undefined) {
  const headers = { accept: "application/json", "x-csrftoken": csrfToken() };
  if (json !== undefined) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: "same-origin",
    });
  } catch {
    throw new Problem(0, { title: OFFLINE });
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { /* a page, not JSON */ }
    const err = new Problem(response.status, problem);
    err.detail = String(problem.detail ?? "");
    // A wrong passphrase proof is the page's to explain; any other 401 is a lost session.
    if (response.status === 401 && err.code !== "invalid-credentials") {
      window.location.assign("/inloggen?verlopen=1");
      throw new Problem(401, { title: "Log opnieuw in." });
    }
    throw err;
  }
  // Strict: a number like 1.0 stays a JsonFloat and is refused where an integer is due.
  return response.status === 204 ? null : wireJson(await response.text());
}

/** Offer bytes or text as a download through a Blob URL (no server round trip). */
export function download(name, data, type = "application/json") {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
