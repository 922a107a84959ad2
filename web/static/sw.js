// The Rugzak service worker (scope "/", allowed by the Service-Worker-Allowed header that
// web/security.py puts on this file). It keeps the app shell so the app installs and says
// something useful offline, and NOTHING else:
//   - cached: our static files (/static/: scripts, styles, vendored libraries, icons, the
//     manifest) and the Dutch offline page (/offline). None of these hold user data.
//   - never cached, never touched: /api/ answers, pages (they carry ciphertext, a CSRF token
//     and the shape of a dossier), htmx partials, downloads. Decrypted data only ever exists
//     in the page's memory, so a service worker could not see it anyway.
// Static files are fetched network-first (a new deploy is used at once, so SRI hashes in the
// pages always match), and served from the cache only when the network fails. A page asked
// for offline gets /offline.
//
// Extensions: other workers' code is loaded here with importScripts (classic worker), e.g.
// push notifications (js/push-sw.js, docs/notifications.md).
const EXTENSIONS = ["/static/js/push-sw.js"];
if (EXTENSIONS.length > 0) importScripts(...EXTENSIONS);

const CACHE = "rugzak-shell-v1";
const OFFLINE = "/offline";
const SHELL = [
  OFFLINE,
  "/static/manifest.webmanifest",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/favicon.ico",
  "/static/icons/favicon-32.png",
  "/static/vendor/utrecht/component-library.css",
];

/** The shell plus every file listed in sri.json (our scripts and styles, vendored code). */
async function shellUrls() {
  const urls = new Set(SHELL);
  try {
    const response = await fetch("/static/vendor/sri.json", { cache: "no-store" });
    if (response.ok) for (const path of Object.keys(await response.json())) urls.add(`/static/${path}`);
  } catch {
    // Offline at install: the next install tries again.
  }
  return [...urls];
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(await shellUrls());
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

const isStatic = (url) => url.origin === self.location.origin && url.pathname.startsWith("/static/");

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw err;
  }
}

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch {
    const cache = await caches.open(CACHE);
    return (await cache.match(OFFLINE)) ?? Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (isStatic(url)) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageOrOffline(request));
  }
  // Everything else (htmx partials, downloads) goes to the network untouched.
});
