// Mijn gegevens: my own key code, computed here from the keys this tab holds (one display
// helper for every fingerprint: people.js fingerprintOf).
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { showKeyQr } from "./key-qr.js";
import { fingerprintOf } from "./people.js";

c.ready.then(() => {
  const el = document.getElementById("mijn-sleutelcode");
  const me = keystore.loadIdentity();
  if (!el || me === null) return;
  el.textContent = fingerprintOf(c.publicIdentityToJson(me.identity));
  el.hidden = false;
  showKeyQr(el);
});
