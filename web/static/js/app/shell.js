// On every page: the phone-app shell. Registers the service worker (/static/sw.js, scope /),
// and makes "Snel weg" work: the [data-quick-exit] link, or Escape pressed twice, leaves at
// once for the neutral site chosen on /meer. Before leaving it wipes this tab's keys
// (keystore.wipe: memory and sessionStorage), ends the session with a beacon to /uitloggen,
// and replaces the history entry (location.replace), so Back does not return to Rugzak.
import * as keystore from "../keystore.js";

const CHOICE = "rugzak-snel-weg"; // localStorage: the chosen neutral site (a URL from the list)
const ESCAPE_WINDOW_MS = 1500;

/** The neutral sites the server offers (radio values on /meer, or the link's own href). */
function allowedSites() {
  const link = document.querySelector("[data-quick-exit]");
  const sites = new Set([...document.querySelectorAll("input[name=snel-weg]")].map((i) => i.value));
  if (link) sites.add(link.getAttribute("href"));
  return sites;
}

/** Where Snel weg goes: the saved choice, else the link's default. */
export function neutralSite() {
  const link = document.querySelector("[data-quick-exit]");
  let saved = null;
  try { saved = localStorage.getItem(CHOICE); } catch { saved = null; }
  // Only an https URL is ever followed (the saved value came from the list on /meer).
  if (saved && /^https:\/\/[a-z0-9.-]+\/?$/i.test(saved)) return saved;
  return link?.getAttribute("href") ?? "https://www.google.nl/";
}

/** Leave now: wipe keys, end the session, go without a history entry. */
export function quickExit() {
  const target = neutralSite();
  try { keystore.wipe(); } catch { /* leaving matters more */ }
  try { sessionStorage.clear(); } catch { /* no storage */ }
  const token = document.querySelector("input[name=_csrf_token]")?.value;
  if (token && document.body.classList.contains("rz-has-tabs")) {
    const form = new URLSearchParams({ _csrf_token: token });
    try { navigator.sendBeacon("/uitloggen", form); } catch { /* best effort */ }
  }
  document.body.hidden = true; // nothing readable stays on screen while the next page loads
  window.location.replace(target);
}

function installQuickExit() {
  const link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  link.setAttribute("href", neutralSite());
  link.addEventListener("click", (event) => {
    event.preventDefault();
    quickExit();
  });
  let last = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = event.timeStamp;
    if (now - last < ESCAPE_WINDOW_MS) quickExit();
    last = now;
  });
}

function installChoice() {
  const form = document.getElementById("snel-weg-instelling");
  if (!form) return;
  const current = neutralSite();
  for (const input of form.querySelectorAll("input[name=snel-weg]")) input.checked = input.value === current;
  form.hidden = false;
  form.addEventListener("change", (event) => {
    const value = event.target.value;
    if (!allowedSites().has(value)) return;
    try { localStorage.setItem(CHOICE, value); } catch { /* private mode: default stays */ }
    document.querySelector("[data-quick-exit]")?.setAttribute("href", value);
    const label = event.target.labels?.[0]?.textContent ?? value;
    document.getElementById("snel-weg-status").textContent = `Bewaard: Snel weg gaat naar ${label}.`;
  });
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/static/sw.js", { scope: "/" }).catch(() => {
    // Not fatal: the app works without it, only not offline or installed.
  });
}

function start() {
  installQuickExit();
  installChoice();
  registerServiceWorker();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
