// Nieuwe campagne (school/nieuw.html): find the receiving organisation by name (each shown
// with its key fingerprint, computed here from the key the students' grants will be sealed
// to), then create the campaign through POST /api/v1/organisations/{school}/campaigns, the
// route the Python client uses. Nothing here is secret; see docs/campaigns.md.
import * as c from "../crypto.js";
import { messageFor, revealJs, say, showError } from "../app/common.js";
import { fingerprintOf } from "../app/org-keys.js";
import { pageJson } from "../app/transport.js";

const $ = (id) => document.getElementById(id);

function receiverChoice(org, index) {
  const wrap = document.createElement("div");
  wrap.className = "utrecht-form-field utrecht-form-field--radio";
  const input = document.createElement("input");
  input.className = "utrecht-radio-button";
  input.type = "radio";
  input.name = "ontvanger";
  input.id = `ontvanger-${index}`;
  input.value = org.id;
  const label = document.createElement("label");
  label.className = "utrecht-form-label utrecht-form-label--radio";
  label.htmlFor = input.id;
  // The digits come from the key itself; a server that shows other digits is not believed.
  const digits = fingerprintOf(org.identity);
  label.textContent = `${org.name} – vingerafdruk ${digits}`;
  if (digits !== org.fingerprint) {
    input.disabled = true;
    label.textContent = `${org.name} – de sleutel klopt niet, kies deze niet`;
  }
  wrap.append(input, label);
  return wrap;
}

function startSearch(school) {
  let timer = null;
  let asked = 0;
  $("ontvanger-zoek").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const words = $("ontvanger-zoek").value.trim();
      const mine = ++asked;
      if (words.length < 2) return;
      try {
        const found = await pageJson("GET", `/api/v1/organisations/${school}/campaign-receivers?q=${encodeURIComponent(words)}`);
        if (mine !== asked) return;
        $("ontvanger-lijst").replaceChildren(...found.map(receiverChoice));
        $("ontvangers").hidden = found.length === 0;
        say($("ontvanger-status"), found.length ? `${found.length} gevonden.` : "Geen organisatie gevonden met die naam.");
        showError($("ontvanger-fout"), "");
      } catch (err) {
        showError($("ontvanger-fout"), messageFor(err));
      }
    }, 250);
  });
}

function check() {
  const errors = [];
  const need = (id, ok, text) => {
    showError($(`${id}-fout`), ok ? "" : text);
    if (!ok) errors.push(id === "ontvanger" ? "ontvanger-zoek" : id === "secties" ? "sectie-contact" : id);
  };
  need("ontvanger", !!document.querySelector("input[name=ontvanger]:checked"), "Kies de organisatie die de gegevens krijgt.");
  need("titel", !!$("titel").value.trim(), "Vul een titel in.");
  need("secties", !!document.querySelector("input[name=sectie]:checked"), "Kies minstens één onderdeel.");
  need("doel", !!$("doel").value.trim(), "Schrijf op waarom je het vraagt.");
  need("sluit", !!$("sluit").value && $("sluit").value >= $("sluit").min, "Kies een datum na vandaag.");
  need("contact", !!$("contact").value.trim(), "Vul een contactpersoon in: naam en telefoon of e-mail.");
  return errors;
}

function startCreate(form) {
  const school = form.getAttribute("data-school");
  startSearch(school);
  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const errors = check();
    if (errors.length) {
      $(errors[0]).focus();
      return;
    }
    busy = true;
    $("maak-campagne").disabled = true;
    showError($("fout"), "");
    say($("voortgang"), "De campagne wordt gemaakt…");
    try {
      const made = await pageJson("POST", `/api/v1/organisations/${school}/campaigns`, {
        receiver_id: document.querySelector("input[name=ontvanger]:checked").value,
        title: $("titel").value.trim(),
        purpose: $("doel").value.trim(),
        closes_on: $("sluit").value,
        period_days: Number($("periode").value),
        sections: [...document.querySelectorAll("input[name=sectie]:checked")].map((i) => i.value),
        school_text: $("schooltekst").value.trim(),
        contact: $("contact").value.trim(),
      });
      window.location.assign(`/pro/campagnes/${made.id}`);
    } catch (err) {
      say($("voortgang"), "");
      showError($("fout"), messageFor(err));
      $("maak-campagne").disabled = false;
    } finally {
      busy = false;
    }
  });
}

c.ready.then(() => {
  const form = $("nieuwe-campagne");
  if (!form) return;
  revealJs();
  startCreate(form);
});
