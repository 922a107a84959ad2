// Web Push inside the service worker: the PWA's worker loads this with
// `importScripts("/static/js/push-sw.js")`. A push says only "news" or "security" (the payload
// is {"v":1,"type":…}); the text shown is always the same, so nothing about the dossier appears
// on a lock screen.
self.addEventListener("push", (event) => {
  let type = "news";
  try {
    type = event.data ? event.data.json().type : "news";
  } catch {
    type = "news";
  }
  const security = type === "security";
  const title = security ? "Beveiligingsmelding van Rugzak" : "Er is iets nieuws in Rugzak";
  const body = security ? "Kijk in Rugzak wat er met je account gebeurde." : "Open Rugzak om te zien wat het is.";
  event.waitUntil(self.registration.showNotification(title, {
    body, tag: `rugzak-${type}`, data: { url: security ? "/sessies" : "/meldingen" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/meldingen", self.location.origin).href;
  event.waitUntil((async () => {
    const tabs = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = tabs.find((tab) => tab.url.startsWith(self.location.origin));
    if (open) {
      await open.focus();
      return open.navigate(url);
    }
    return self.clients.openWindow(url);
  })());
});
