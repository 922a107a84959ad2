// Meldingen op dit apparaat (Web Push). Needs the app's service worker (the PWA's), which
// imports /static/js/push-sw.js to show the notice; without a registered worker, or when the
// server has no VAPID key (GET /api/v1/push/key answers 404), the section stays hidden.
import { messageFor, say, showError } from "./common.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

/** How long the page waits for the browser's push service before it says so. */
const WAIT_MS = 15000;
const DENIED = "Je browser staat meldingen niet toe. Zet ze aan in de instellingen van je browser.";
const UNAVAILABLE = "Meldingen aanzetten lukt nu niet. In een privévenster kan het niet. Probeer het in een gewoon venster, of later opnieuw.";

/** NotAllowedError: the person (or the browser's settings) said no. AbortError: the browser
 *  could not register with its push service; Chrome also answers so in an incognito window. */
function messageForPush(err) {
  if (err?.name === "NotAllowedError") return DENIED;
  if (err?.name === "AbortError") return UNAVAILABLE;
  return messageFor(err);
}

function bytes(b64url) {
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (b64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

async function start() {
  const box = $("push");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return;
  let key;
  try {
    key = (await pageJson("GET", "/api/v1/push/key")).public_key;
  } catch {
    return; // push is not offered here
  }
  box.hidden = false;
  const show = (on) => {
    $("push-aan").hidden = on;
    $("push-uit").hidden = !on;
    say($("push-status"), on ? "Meldingen op dit apparaat staan aan." : "");
  };
  show(Boolean(await registration.pushManager.getSubscription()));
  $("push-aan").addEventListener("click", async () => {
    const button = $("push-aan");
    button.disabled = true;
    showError($("push-fout"), "");
    say($("push-status"), "Even geduld: je browser meldt dit apparaat aan…");
    const pending = registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(key) });
    const save = async (sub) => {
      await pageJson("POST", "/api/v1/push/subscriptions", sub.toJSON());
      showError($("push-fout"), "");
      show(true);
    };
    try {
      const sub = await Promise.race([pending, new Promise((done) => { setTimeout(done, WAIT_MS, null); })]);
      if (sub) {
        await save(sub);
      } else { // the browser's push service does not answer (offline, blocked network)
        say($("push-status"), "");
        showError($("push-fout"), UNAVAILABLE);
        pending.then(save, () => {}); // if it answers later after all, the device is still added
      }
    } catch (err) {
      say($("push-status"), "");
      showError($("push-fout"), messageForPush(err));
    } finally {
      button.disabled = false;
    }
  });
  $("push-uit").addEventListener("click", async () => {
    try {
      const sub = await registration.pushManager.getSubscription();
      if (sub) {
        await pageJson("POST", "/api/v1/push/subscriptions/remove", { endpoint: sub.endpoint });
        await sub.unsubscribe();
      }
      show(false);
    } catch (err) {
      showError($("push-fout"), messageFor(err));
    }
  });
}

start();
