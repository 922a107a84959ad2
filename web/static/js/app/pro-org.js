// Organisation pages: create an organisation (organisaties.html); on one organisation's page
// (organisatie.html) an admin adds a colleague who accepted an invite, removes a member and
// renews the key at once, or renews a key a removal left due. Needs my keys in this tab; the
// crypto is in org-keys.js.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { messageFor, revealJs, say, showError } from "./common.js";
import { addMember, createOrganisation, fingerprintOf, removeMember, rotateOrgKey } from "./org-keys.js";
import { lockedBanner } from "./pro-keys.js";

const $ = (id) => document.getElementById(id);

/** Run one action with the page's status line and error box; only one at a time. */
let busy = false;
async function act(status, work) {
  if (busy) return;
  busy = true;
  showError($("fout"), "");
  say($("voortgang"), status);
  document.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  try {
    await work();
  } catch (err) {
    say($("voortgang"), "");
    showError($("fout"), messageFor(err));
    document.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  } finally {
    busy = false;
  }
}

function startCreate(form, me) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("org-naam").value.trim();
    if (!name) {
      showError($("fout"), "Vul de naam van de organisatie in.");
      $("org-naam").focus();
      return;
    }
    act("De organisatie wordt gemaakt…", async () => {
      const org = await createOrganisation(me, name, $("org-soort").value);
      window.location.assign(`/pro/organisaties/${org.id}`);
    });
  });
}

function startAdmin(root, me) {
  const orgId = root.getAttribute("data-org");
  const done = (what) => window.location.assign(`/pro/organisaties/${orgId}?klaar=${what}`);
  for (const item of document.querySelectorAll("[data-joiner]")) {
    const identity = JSON.parse(item.getAttribute("data-identity"));
    const button = item.querySelector("[data-add]");
    // The digits the admin compares are computed here from the keys that will be used.
    if (fingerprintOf(identity) !== item.getAttribute("data-fingerprint")) {
      item.setAttribute("data-crypto", "failed");
      button.remove();
      continue;
    }
    button.addEventListener("click", () => act("Je collega wordt toegevoegd…", async () => {
      await addMember(me, orgId, { accountId: item.getAttribute("data-joiner"), role: item.getAttribute("data-role"), identity });
      done("toegevoegd");
    }));
  }
  for (const form of document.querySelectorAll("form[data-remove]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act("Het lid wordt verwijderd en de sleutel vernieuwd…", async () => {
        const rotated = await removeMember(me, orgId, form.getAttribute("data-remove"));
        done(rotated ? "verwijderd" : "half"); // "half": removed, the key is still due
      });
    });
  }
  $("vernieuw-sleutel")?.addEventListener("click", () => act("De sleutel wordt vernieuwd…", async () => {
    await rotateOrgKey(me, orgId);
    done("vernieuwd");
  }));
}

c.ready.then(() => {
  const me = keystore.loadIdentity();
  const form = $("nieuwe-organisatie");
  const root = $("organisatie");
  const admin = root?.getAttribute("data-admin") === "ja";
  if (me === null) {
    if (form || (admin && document.querySelector("[data-joiner], #vernieuw-sleutel"))) lockedBanner();
    return;
  }
  revealJs();
  if (form) startCreate(form, me);
  if (admin) startAdmin(root, me);
});
