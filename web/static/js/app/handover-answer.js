// The youth's side of a handover on Delen (partials/delen-overdracht.html): open and check the
// proposer's note (signed by the proposer, about this request, naming the key the server now
// shows for the next professional), show who is proposed, the note and both key codes; on a
// yes, seal her card to the next professional (HandoverClient.answer_handover does the same).
// A note that fails the checks hides the yes buttons: the youth can still say no.
import * as c from "../crypto.js";
import { nextName, openNote } from "./handover-note.js";
import { party } from "./people.js";

const codeOf = (pub) => c.formatFingerprint(c.fingerprint(pub));

/** The checked note, with the proposer's and the next professional's public identities. */
export async function checkedNote(me, request) {
  const proposer = await party(request.requester_id);
  const next = await party(request.grantee_id);
  const fields = openNote(me, request.note_owner, request, proposer.identity.signPk, c.publicIdentityToJson(next.identity));
  return { fields, proposer: proposer.identity, next: next.identity };
}

export async function showHandovers(me) {
  for (const card of document.querySelectorAll("[data-request]")) {
    const request = JSON.parse(card.getAttribute("data-request"));
    if (request.kind !== "handover" || request.state !== "open") continue;
    const text = card.querySelector("[data-note-text]");
    try {
      const { fields, proposer, next } = await checkedNote(me, request);
      card.querySelectorAll("[data-next-name]").forEach((el) => { el.textContent = nextName(fields); });
      text.textContent = typeof fields.text === "string" ? fields.text : "";
      card.querySelector("[data-code-from]").textContent = codeOf(proposer);
      card.querySelector("[data-code-next]").textContent = codeOf(next);
    } catch {
      text.textContent = "Dit voorstel kon niet veilig worden geopend. Zeg geen ja, en vraag je begeleider wat er mis is.";
      card.querySelectorAll("[data-answer-with=yes], [data-answer-with=partly]").forEach((b) => b.remove());
    }
  }
}

/** My card for the next professional, after checking the note once more. */
export async function cardFor(me, request, displayName) {
  const { next } = await checkedNote(me, request);
  const sealed = c.sealProfileCard(
    { display_name: displayName, contact_preference: "" },
    { senderId: me.accountId, sender: me.identity, recipientId: request.grantee_id, recipientBoxPk: next.boxPk },
  );
  return c.b64e(sealed);
}
