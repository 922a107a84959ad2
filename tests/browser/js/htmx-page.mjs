// Browser-side helpers of tests/browser/test_htmx_rugzak.py: a page with htmx, the rugzak
// extension, an unlocked (or locked) keystore and a data-seal form.

/** Build the page; the owner is the logged-in youth. Returns the keys Python needs. */
export async function setup(unlock) {
  sessionStorage.clear();
  if (!window.htmx) {
    await new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = "/static/vendor/htmx/htmx.min.js";
      script.onload = resolve;
      document.head.append(script);
    });
  }
  const c = await import("/static/js/crypto.js");
  await c.ready;
  const keystore = await import("/static/js/keystore.js");
  await import("/static/js/htmx-rugzak.js");
  const owner = c.generateIdentity();
  const section = c.generateSectionKeyPair();
  const sectionKey = c.signSectionKey(owner, "dossier-h", "notities", 1, section.pk);
  if (unlock) {
    keystore.saveIdentity("youth-h", owner);
    keystore.saveSectionKey("dossier-h", "notities", 1, section.sk);
  }
  const ownerIdentity = JSON.stringify(c.publicIdentityToJson(c.identityPublic(owner)));
  const zone = document.getElementById("main");
  zone.setAttribute("hx-ext", "rugzak");
  zone.setAttribute("data-owner-id", "youth-h");
  zone.setAttribute("data-owner-identity", ownerIdentity);
  zone.innerHTML = `
    <form id="f" hx-post="/__browser_test__/echo" hx-target="#out" data-seal
          data-dossier="dossier-h" data-section="notities" data-entry="entry-h"
          data-seal-keep="_csrf_token">
      <input type="hidden" name="_csrf_token" value="csrf-123">
      <label for="t">Tekst</label>
      <textarea id="t" data-sealed-field="text"></textarea>
      <label for="s">Cijfer</label>
      <input id="s" data-sealed-field="score" data-sealed-type="int" value="4">
      <button id="send" type="submit">Opslaan</button>
    </form>
    <div id="out" data-dossier="dossier-h" data-section="notities"></div>`;
  document.getElementById("f").setAttribute("data-section-key", JSON.stringify(sectionKey));
  document.getElementById("t").value = document.body.dataset.secret;
  window.__events = [];
  for (const name of ["rugzak:sealed", "rugzak:seal-failed", "rugzak:opened", "rugzak:open-failed"]) {
    document.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail }));
  }
  window.htmx.process(zone);
  return {
    owner: c.b64e(c.identitySecret(owner)),
    section_sk: c.b64e(section.sk),
    history: window.htmx.config.historyCacheSize,
    allowEval: window.htmx.config.allowEval,
  };
}

/** The "server" names another owner key and a section key signed by it. */
export async function swapOwner() {
  const c = await import("/static/js/crypto.js");
  const keystore = await import("/static/js/keystore.js");
  const me = c.identityPublic(keystore.loadIdentity().identity);
  keystore.pinOwner("dossier-h", "youth-h", me);
  const fake = c.generateIdentity();
  const section = c.generateSectionKeyPair();
  const fakeIdentity = c.publicIdentityToJson(c.identityPublic(fake));
  document.getElementById("main").setAttribute("data-owner-identity", JSON.stringify(fakeIdentity));
  const fakeKey = c.signSectionKey(fake, "dossier-h", "notities", 1, section.pk);
  document.getElementById("f").setAttribute("data-section-key", JSON.stringify(fakeKey));
}

/** Click a [data-rugzak-logout] button; report the keystore before and after. */
export async function logoutWipe() {
  const keystore = await import("/static/js/keystore.js");
  const stored = sessionStorage.getItem(keystore.STORAGE_KEY) !== null;
  const before = [keystore.isUnlocked(), stored];
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Uitloggen";
  button.setAttribute("data-rugzak-logout", "");
  document.getElementById("main").append(button);
  button.click();
  return { before, after: [keystore.isUnlocked(), sessionStorage.length] };
}
