// The invite page: check that the server's fingerprint digits belong to the keys it sends
// (computed here), pin the professional's key, and seal my profile card to it.
import * as c from "../crypto.js";
import { messageFor, revealJs, showError } from "./common.js";
import { me } from "./consent.js";
import { describe, openInviteCard } from "./invite-card.js";
import { showKeyQr } from "./key-qr.js";
import { fingerprintOf, trust } from "./people.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);

/** Who invites, from the card sealed to the token's key and signed by the professional whose
 *  keys the fingerprint above belongs to. Written with textContent only. */
function showInviter(professional, identity) {
  const box = $("wie-nodigt");
  const sealed = box?.getAttribute("data-invite-card");
  if (!sealed) return;
  let card;
  try {
    card = openInviteCard(sealed, box.getAttribute("data-token"), professional, c.publicIdentityFromJson(identity).signPk);
  } catch {
    $("wie-naam").textContent = "Een begeleider (de kaart kon niet veilig worden geopend)";
    return;
  }
  const text = (k) => (typeof card[k] === "string" ? card[k] : "");
  $("wie-naam").textContent = text("name") || "Een begeleider";
  $("code-naam").textContent = describe(card) || "je begeleider";
  $("wie-organisatie").textContent = text("organisation");
  $("wie-rol").textContent = text("role");
  $("wie-telefoon").textContent = text("phone");
  $("wie-kaart").hidden = false;
}

async function start() {
  await c.ready;
  const code = $("sleutelcode");
  const form = $("verbindformulier");
  if (!code) return;
  const identity = JSON.parse(code.getAttribute("data-identity"));
  if (fingerprintOf(identity) !== code.getAttribute("data-fingerprint")) {
    code.textContent = "Deze sleutelcode klopt niet. Verbind niet.";
    form?.remove();
    return;
  }
  showKeyQr(code);
  showInviter(code.getAttribute("data-professional"), identity);
  if (!form) return;
  let unlocked;
  try { unlocked = me(); } catch { showError($("fout"), "Log opnieuw in om te verbinden."); return; }
  revealJs();
  $("mijn-sleutelcode").textContent = fingerprintOf(c.publicIdentityToJson(unlocked.identity));
  showKeyQr($("mijn-sleutelcode"));
  $("mijn-code-blok").hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("naam").value.trim();
    if (!name) { showError($("fout"), "Vul een naam in."); $("naam").focus(); return; }
    $("verbind").disabled = true;
    try {
      const professional = code.getAttribute("data-professional");
      const pub = trust(professional, identity);
      const card = c.sealProfileCard(
        { display_name: name, contact_preference: $("voorkeur").value },
        { senderId: unlocked.accountId, sender: unlocked.identity, recipientId: professional, recipientBoxPk: pub.boxPk },
      );
      const made = await pageJson("POST", "/api/v1/connections", { token: form.getAttribute("data-token"), card: c.b64e(card) });
      if (made.other_id !== professional) throw new c.TamperedError("connected to someone else");
      // A trusted person is only a recovery contact: on to choosing them there, not to Delen.
      window.location.assign(made.purpose === "recovery" ? "/herstelcontact" : "/delen?melding=verbonden");
    } catch (err) {
      showError($("fout"), messageFor(err));
      $("verbind").disabled = false;
    }
  });
}

start();
