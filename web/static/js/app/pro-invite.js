// Jongere uitnodigen: make the token here, seal my profile card to its key (invite-card.js),
// and create the invite through POST /api/v1/invites like the Python client. The server refuses
// without a profile card (problem "profile-missing"); its Dutch title is shown at the button.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { messageFor, revealJs, showError } from "./common.js";
import { myProfile, newToken, sealForInvite } from "./invite-card.js";
import { showKeyQr } from "./key-qr.js";
import { fingerprintOf } from "./people.js";
import { lockedBanner } from "./pro-keys.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

function show(made, me) {
  $("whatsapp").value = made.whatsapp_text;
  $("whatsapp-link").href = `https://wa.me/?text=${encodeURIComponent(made.whatsapp_text)}`;
  $("qr").src = `data:image/svg+xml;base64,${btoa(made.qr_svg)}`;
  const [y, m, d] = made.expires_at.slice(0, 10).split("-");
  $("verloopt").textContent = `${d}-${m}-${y}`;
  $("mijn-sleutelcode").textContent = fingerprintOf(c.publicIdentityToJson(me.identity));
  showKeyQr($("mijn-sleutelcode"));
  $("gemaakt").hidden = false;
  $("kop-nieuw").focus();
}

async function start() {
  await c.ready;
  const form = $("uitnodigen");
  if (!form) return;
  const me = keystore.loadIdentity();
  if (me === null) { lockedBanner(); return; }
  revealJs();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError($("fout"), "");
    $("maak-uitnodiging").disabled = true;
    try {
      const card = (await myProfile(me)) ?? {};
      const token = newToken();
      // "Als vertrouwd persoon": a recovery-only connection, never on behalf of an organisation.
      const trusted = $("vertrouwd")?.checked ?? false;
      const org = trusted ? null : $("org")?.value || null;
      const purpose = trusted ? "recovery" : "care";
      const made = await pageJson("POST", "/api/v1/invites", { token, card: sealForInvite(card, me, token), org_id: org, purpose });
      show(made, me);
    } catch (err) {
      showError($("fout"), messageFor(err));
    } finally {
      $("maak-uitnodiging").disabled = false;
    }
  });
}

start();
