// Connected professionals as this browser knows them: their public keys pinned on first use
// (localStorage: public keys only, so a later swap by the server is noticed on this device),
// and their profile cards opened here, so names appear although the server cannot read them.
import * as c from "../crypto.js";
import { pageJson } from "./transport.js";

const PINS = "rugzak.pins.v1";

function pins() {
  try { return JSON.parse(window.localStorage.getItem(PINS) ?? "{}"); } catch { return {}; }
}

/** Trust on first use: pin the server's copy the first time, refuse any other later. */
export function trust(partyId, identityJson) {
  const pub = c.publicIdentityFromJson(identityJson);
  const all = pins();
  const have = all[partyId];
  if (have === undefined) {
    all[partyId] = c.publicIdentityToJson(pub);
    try { window.localStorage.setItem(PINS, JSON.stringify(all)); } catch { /* memory only */ }
    return pub;
  }
  const pinned = c.publicIdentityFromJson(have);
  if (!c.sameIdentity(pinned, pub)) {
    throw new c.TamperedError("the server shows another key for this party than this device pinned");
  }
  return pub;
}

/** The digits two people compare in person, computed here from the keys. */
export function fingerprintOf(identityJson) {
  return c.formatFingerprint(c.fingerprint(c.publicIdentityFromJson(identityJson)));
}

/** A party's public identity from the server, checked against its digits and the pin. */
export async function party(partyId) {
  const data = await pageJson("GET", `/api/v1/parties/${encodeURIComponent(partyId)}`);
  if (fingerprintOf(data.identity) !== data.fingerprint) throw new c.TamperedError("fingerprint does not match the keys");
  return { kind: data.kind, identity: trust(partyId, data.identity) };
}

/** Open the card a professional sealed to me; null if none was sent yet or it fails. */
export function openCard(me, otherId, identityJson, sealedB64) {
  if (!sealedB64) return null;
  const other = trust(otherId, identityJson);
  try {
    return c.openProfileCard(c.b64d(sealedB64), {
      boxSk: me.identity.boxSk, recipientId: me.accountId, senderId: otherId, senderSignPk: other.signPk,
    });
  } catch {
    return null;
  }
}

/** { partyId: card } for every connection in a GET /api/v1/dossiers/{id}/sharing answer. */
export function cards(me, connections) {
  const out = {};
  for (const conn of connections) {
    const card = openCard(me, conn.other_id, conn.other_identity, conn.card);
    if (card !== null) out[conn.other_id] = card;
  }
  return out;
}

export function label(card) {
  const name = typeof card?.name === "string" ? card.name : "";
  return name || null;
}

/** Write names into every [data-name="<party id>"] (textContent only). */
export function fillNames(root, byId) {
  root.querySelectorAll("[data-name]").forEach((el) => {
    const name = label(byId[el.getAttribute("data-name")]);
    if (name) el.textContent = name;
  });
}
