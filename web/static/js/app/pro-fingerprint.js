// Compare keys in person: both fingerprints are computed here from the keys this tab uses
// (the youth's as pinned in this tab, mine from my opened identity), never taken from the
// server's digits.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { lockedBanner } from "./pro-keys.js";

c.ready.then(() => {
  const me = keystore.loadIdentity();
  const box = document.getElementById("vingerafdruk");
  document.querySelectorAll("[data-needs-js]").forEach((el) => { el.hidden = false; });
  if (me === null || box === null) {
    lockedBanner();
    return;
  }
  const youth = c.publicIdentityFromJson(JSON.parse(box.getAttribute("data-youth-identity")));
  document.getElementById("vinger-jongere").textContent = c.formatFingerprint(c.fingerprint(youth));
  document.getElementById("vinger-mij").textContent = c.formatFingerprint(c.fingerprint(c.identityPublic(me.identity)));
});
