// Overdragen on one youth's page (pro/overdragen.html), as dossier/client/handover.py does it:
// find the next professional by organisation (each with the key code computed here from the
// keys the note will be sealed to), seal the signed note to the youth and to them, and send
// the proposal to POST /api/v1/dossiers/{id}/requests, the Python client's route. Also opens
// the notes of handovers to me or my organisation ("Overgedragen aan jou"). Plaintext only via
// textContent.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { messageFor, say, showError } from "./common.js";
import { MAX_NOTE, fromName, openNote, sealNote } from "./handover-note.js";
import { myProfile } from "./invite-card.js";
import { orgKey } from "./org-keys.js";
import { fingerprintOf, party } from "./people.js";
import { pageJson } from "./transport.js";

const $ = (id) => document.getElementById(id);
let found = [];

function choice(candidate, index) {
  const wrap = document.createElement("div");
  wrap.className = "utrecht-form-field utrecht-form-field--radio rz-check";
  const input = document.createElement("input");
  input.className = "utrecht-radio-button";
  input.type = "radio";
  input.name = "overdracht-collega";
  input.id = `overdracht-collega-${index}`;
  input.value = String(index);
  const label = document.createElement("label");
  label.className = "utrecht-form-label utrecht-form-label--radio";
  label.htmlFor = input.id;
  // The digits come from the key itself; a server that shows other digits is not believed.
  // An organisation (kind "organisation") is offered as a whole, with its own key code.
  const digits = fingerprintOf(candidate.identity);
  const who = candidate.kind === "organisation"
    ? `${candidate.org_name} – de hele organisatie`
    : `${candidate.org_name} – ${candidate.username}`;
  label.textContent = `${who} – sleutelcode ${digits}`;
  if (digits !== candidate.fingerprint) {
    input.disabled = true;
    label.textContent = `${who} – de sleutel klopt niet, kies deze niet`;
  }
  wrap.append(input, label);
  return wrap;
}

function startSearch() {
  let timer = null;
  let asked = 0;
  $("overdracht-zoek").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const words = $("overdracht-zoek").value.trim();
      const mine = ++asked;
      if (words.length < 2) return;
      try {
        const answer = await pageJson("GET", `/api/v1/handover-candidates?q=${encodeURIComponent(words)}`);
        if (mine !== asked) return;
        found = answer;
        $("overdracht-lijst").replaceChildren(...answer.map(choice));
        $("overdracht-wie").hidden = answer.length === 0;
        say($("overdracht-status"), answer.length ? `${answer.length} gevonden.` : "Geen collega gevonden bij die organisatie.");
        showError($("overdracht-wie-fout"), "");
      } catch (err) {
        showError($("overdracht-wie-fout"), messageFor(err));
      }
    }, 250);
  });
}

function checked() {
  const errors = [];
  const need = (id, ok, text, focus = id) => {
    showError($(`${id}-fout`), ok ? "" : text);
    if (!ok) errors.push(focus);
  };
  const picked = document.querySelector("input[name=overdracht-collega]:checked");
  need("overdracht-wie", !!picked, "Zoek en kies je collega.", "overdracht-zoek");
  need("overdracht-naam", !!$("overdracht-naam").value.trim(), "Vul de naam van je collega in.");
  const sections = [...document.querySelectorAll("input[name=overdracht-sectie]:checked")].map((i) => i.value);
  need("overdracht-secties", sections.length > 0, "Kies minstens één onderdeel.", "overdracht-contact");
  need("overdracht-doel", !!$("overdracht-doel").value.trim(), "Schrijf op waarvoor.");
  const note = $("overdracht-notitie").value.trim();
  need("overdracht-notitie", note.length > 0 && note.length <= MAX_NOTE, "Schrijf een korte notitie (hoogstens 1000 tekens).");
  return { errors, candidate: picked ? found[Number(picked.value)] : null, sections, note };
}

/** A field's error goes as soon as the field is changed (the next submit checks again). */
function clearOnInput(form) {
  form.addEventListener("input", (event) => {
    const el = event.target;
    const id = el.name === "overdracht-sectie" ? "overdracht-secties" : el.name === "overdracht-collega" ? "overdracht-wie" : el.id;
    const box = $(`${id}-fout`);
    if (box) showError(box, "");
  });
}

function startForm(form, me) {
  $("overdracht-mijn-code").textContent = fingerprintOf(c.publicIdentityToJson(me.identity));
  clearOnInput(form);
  startSearch();
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const { errors, candidate, sections, note } = checked();
    if (errors.length) { $(errors[0]).focus(); return; }
    busy = true;
    $("overdracht-voorstel").disabled = true;
    showError($("overdracht-fout"), "");
    try {
      const dossier = form.getAttribute("data-dossier");
      const sealed = sealNote(me, {
        dossier,
        candidate,
        name: $("overdracht-naam").value.trim(),
        text: note,
        fromCard: await myProfile(me),
        youth: keystore.pinOwner(dossier, form.getAttribute("data-youth-id"), JSON.parse(form.getAttribute("data-youth-identity"))).identity,
      });
      await pageJson("POST", `/api/v1/dossiers/${encodeURIComponent(dossier)}/requests`, {
        kind: "handover",
        sections,
        purpose: $("overdracht-doel").value.trim(),
        period_days: Number($("overdracht-dagen").value),
        permissions: ["read"],
        grantee_kind: candidate.kind ?? "person",
        grantee_id: candidate.id,
        step_down: $("overdracht-achtergrond").checked,
        ...sealed,
      });
      window.location.assign(`/pro/jongeren/${encodeURIComponent(dossier)}?gevraagd=1`);
    } catch (err) {
      showError($("overdracht-fout"), messageFor(err));
      $("overdracht-voorstel").disabled = false;
    } finally {
      busy = false;
    }
  });
}

const authors = new Map();

function nameAuthors(root) {
  for (const [id, name] of authors) {
    root.querySelectorAll(`[data-author="${CSS.escape(id)}"]`).forEach((el) => { el.textContent = name; });
  }
}
document.addEventListener("htmx:load", (e) => nameAuthors(e.detail.elt));

async function openNotes(me) {
  for (const box of document.querySelectorAll("[data-handover-note]")) {
    const text = box.querySelector("[data-note-text]");
    try {
      const request = JSON.parse(box.getAttribute("data-request"));
      const proposer = await party(request.requester_id);
      // A handover to my organisation: its copy of the note is sealed to the organisation key.
      const opener = request.grantee_kind === "organisation"
        ? { identity: (await orgKey(me, request.grantee_id)).org }
        : me;
      const fields = openNote(opener, box.getAttribute("data-handover-note"), request, proposer.identity.signPk, c.publicIdentityToJson(c.identityPublic(opener.identity)));
      box.querySelector("[data-note-from]").textContent = fromName(fields);
      text.textContent = typeof fields.text === "string" ? fields.text : "";
      // The proposer's card came signed with the note: name their entries, not a number.
      if (fromName(fields) !== "Je collega") authors.set(request.requester_id, fromName(fields));
    } catch {
      text.textContent = "Deze notitie kon niet veilig worden geopend.";
    }
  }
}

c.ready.then(async () => {
  const me = keystore.loadIdentity();
  if (me === null) return;
  const form = $("overdracht");
  if (form) {
    form.hidden = false;
    startForm(form, me);
  }
  await openNotes(me);
  nameAuthors(document);
});
