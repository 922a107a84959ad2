// The warm handover's note, exactly like dossier/client/handover.py: a statement signed by the
// proposer ({kind: "handover-note", dossier, from, to, to_key, name, org, text, from_card,
// at}), sealed here to the youth and to the next professional. Opening it checks the
// signature, that it is about this request, and that the key the server now shows for the
// next professional is the one the proposer compared (to_key). Nothing here is sent in plain.
import * as c from "../crypto.js";
import { fingerprintOf } from "./people.js";

export const NOTE_KIND = "handover-note";
export const MAX_NOTE = 1000;

/** { note_owner, note_grantee, grantee_key } for POST /api/v1/dossiers/{id}/requests. */
/** `youth` is the youth's public identity as this tab pinned it (keystore.pinOwner). */
export function sealNote(me, { dossier, candidate, name, text, fromCard, youth }) {
  const toKey = fingerprintOf(candidate.identity);
  const statement = c.signStatement(me.identity, {
    kind: NOTE_KIND,
    dossier,
    from: me.accountId,
    to: candidate.id,
    to_key: toKey,
    name,
    org: candidate.org_name,
    text,
    from_card: fromCard ?? {},
    at: c.formatTime(new Date()),
  });
  const plain = c.canonical(statement);
  const next = c.publicIdentityFromJson(candidate.identity);
  return {
    grantee_key: toKey,
    note_owner: c.b64e(c.sealTo(youth.boxPk, plain)),
    note_grantee: c.b64e(c.sealTo(next.boxPk, plain)),
  };
}

/** The note's fields, or a TamperedError. `proposerSignPk` and `nextIdentityJson` come from
 *  the keys this browser uses (pinned or compared), never from the note itself. */
export function openNote(me, sealedB64, request, proposerSignPk, nextIdentityJson) {
  const statement = c.parseJsonObject(c.openSealed(me.identity.boxSk, c.b64d(sealedB64)));
  const fields = c.verifyStatement(statement, proposerSignPk);
  if (
    fields.kind !== NOTE_KIND
    || fields.dossier !== request.dossier_id
    || fields.from !== request.requester_id
    || fields.to !== request.grantee_id
    || fields.to_key !== fingerprintOf(nextIdentityJson)
  ) {
    throw new c.TamperedError("the note is about another handover");
  }
  return fields;
}

/** "Karin de Boer (Werkplein Zwolle)" from the note: how the proposer names the next one. */
export function nextName(fields) {
  const name = typeof fields.name === "string" ? fields.name : "";
  const org = typeof fields.org === "string" && fields.org ? ` (${fields.org})` : "";
  return `${name || "Een collega"}${org}`;
}

/** The proposer's own card inside the note (for the next professional, who has no other). */
export function fromName(fields) {
  const card = fields.from_card;
  return card && typeof card.name === "string" && card.name ? card.name : "Je collega";
}
