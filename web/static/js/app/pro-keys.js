// Shared by the professional's pages: open a youth's profile card (sealed to my box key and
// signed by the youth) and a shared section's key (the owner-signed receipt must name me or
// my organisation, the envelope must open to the key the owner signed). The youth's identity
// is pinned per tab on first sight (keystore.pinOwner); a different one later is refused.
// Plaintext is only ever written with textContent.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";

export function lockedBanner() {
  const slot = document.getElementById("slot");
  if (slot) slot.hidden = false;
}

/** Open the card on an element carrying data-card, data-youth-id, data-youth-identity and
 *  data-dossier; writes the display name into [data-name]. Returns the card or null. */
export function openCard(el, me) {
  const dossier = el.getAttribute("data-dossier");
  const youthId = el.getAttribute("data-youth-id");
  const owner = keystore.pinOwner(dossier, youthId, JSON.parse(el.getAttribute("data-youth-identity")));
  const sealed = el.getAttribute("data-card");
  if (!sealed) return null;
  const card = c.openProfileCard(c.b64d(sealed), {
    boxSk: me.identity.boxSk, recipientId: me.accountId, senderId: youthId, senderSignPk: owner.identity.signPk,
  });
  const name = typeof card.display_name === "string" ? card.display_name : "";
  el.querySelectorAll("[data-name]").forEach((n) => { n.textContent = name || "Naam onbekend"; });
  el.querySelectorAll("[data-contact-pref]").forEach((n) => {
    n.textContent = typeof card.contact_preference === "string" && card.contact_preference ? `Contact: ${card.contact_preference}` : "";
  });
  return card;
}

/** The box secret key my envelope for this block is sealed to: mine, or my organisation's. */
function granteeBoxSk(block, receipt, me) {
  const orgKey = block.getAttribute("data-org-key");
  if (orgKey) {
    const { sealed, identity, org } = JSON.parse(orgKey);
    const secret = c.openSealed(me.identity.boxSk, c.b64d(sealed));
    const orgIdentity = c.identityFromSecret(secret);
    if (!c.sameIdentity(c.identityPublic(orgIdentity), c.publicIdentityFromJson(identity)) || receipt.grantee !== org) {
      throw new c.TamperedError("organisation key or receipt is not for this organisation");
    }
    return orgIdentity.boxSk;
  }
  const mine = c.fingerprint(c.identityPublic(me.identity));
  if (receipt.grantee !== me.accountId || !c.equalBytes(receipt.granteeKeyFingerprint, mine)) {
    throw new c.TamperedError("receipt is not for my key");
  }
  return me.identity.boxSk;
}

/** Open the section key of every [data-envelope] block into this tab's keystore. */
export function loadSectionKeys(root, me) {
  for (const block of root.querySelectorAll("[data-envelope]")) {
    const dossier = block.getAttribute("data-dossier");
    const section = block.getAttribute("data-section");
    const version = Number(block.getAttribute("data-key-version"));
    if (keystore.sectionKey(dossier, section, version) !== null) continue;
    try {
      const owner = keystore.pinOwner(dossier, block.getAttribute("data-owner-id"), JSON.parse(block.getAttribute("data-owner-identity")));
      const signed = c.verifySectionKey(JSON.parse(block.getAttribute("data-section-key")), owner.identity.signPk);
      if (signed.dossier !== dossier || signed.section !== section || signed.version !== version) throw new c.TamperedError();
      const receipt = c.verifyReceipt(JSON.parse(block.getAttribute("data-receipt")), owner.identity.signPk);
      if (receipt.dossier !== dossier || receipt.section !== section || !receipt.permissions.includes("read")) throw new c.TamperedError();
      // The envelope names the grant of this receipt and the signed key's place and version.
      const sk = c.openGrantEnvelope(c.b64d(block.getAttribute("data-envelope")), granteeBoxSk(block, receipt, me), {
        grant: receipt.grant, sectionKey: signed,
      });
      keystore.saveSectionKey(dossier, section, version, sk);
    } catch (err) {
      block.setAttribute("data-key", "failed");
      console.warn("section key refused", section, err?.name);
    }
  }
}
