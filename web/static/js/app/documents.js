// Documenten: a file is sealed here with secretstream in 64 KiB chunks (DocumentUpload), then
// sent with its signed entry; a download streams the ciphertext back, checks it against the
// SHA-256 in the signed entry and only then hands the plaintext to the browser as a Blob URL.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { csrfToken } from "./common.js";

const $ = (id) => document.getElementById(id);

function block() {
  return $("sectie-inhoud");
}

function refresh() {
  window.htmx.ajax("GET", "/rugzak/documenten", { target: "#sectie-inhoud", swap: "outerHTML" });
}

function send(dossier, blob, entry, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/v1/dossiers/${encodeURIComponent(dossier)}/sections/${c.DOCUMENT_SECTION}/documents`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("x-rugzak-entry", c.b64e(c.canonical(entry)));
    xhr.setRequestHeader("x-csrftoken", csrfToken(block()));
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => (xhr.status === 201 ? resolve() : reject(new Error(xhr.status === 413 ? "groot" : "server")));
    xhr.onerror = () => reject(new Error("netwerk"));
    xhr.send(blob);
  });
}

async function upload(event) {
  event.preventDefault();
  const form = event.target;
  const file = $("bestand").files[0];
  const status = $("upload-status");
  const bar = $("upload-voortgang");
  const root = block();
  if (!file) { status.textContent = "Kies eerst een bestand."; return; }
  if (file.size > Number(root.getAttribute("data-max-bytes"))) {
    status.textContent = "Dit bestand is te groot.";
    return;
  }
  const me = keystore.loadIdentity();
  if (me === null) { status.textContent = "Je sleutels zijn niet in dit tabblad. Log opnieuw in."; return; }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  bar.hidden = false;
  bar.value = 0;
  try {
    const dossier = root.getAttribute("data-dossier");
    const owner = keystore.pinOwner(dossier, root.getAttribute("data-owner-id"), JSON.parse(root.getAttribute("data-owner-identity")));
    const sectionKey = c.verifySectionKey(c.wireJson(root.getAttribute("data-section-key")), owner.identity.signPk);
    const up = new c.DocumentUpload(file, { name: file.name, mime: file.type || "application/octet-stream" }, { dossier, entry: crypto.randomUUID(), version: 1 });
    const parts = [];
    status.textContent = "Bezig met versleutelen…";
    for await (const piece of up.chunks({ onProgress: (p) => { bar.value = Math.round((50 * p.bytes) / Math.max(1, file.size)); } })) parts.push(piece);
    const entry = up.entry({ authorId: me.accountId, author: me.identity, sectionKey });
    status.textContent = "Bezig met versturen…";
    await send(dossier, new Blob(parts, { type: "application/octet-stream" }), entry, (f) => { bar.value = 50 + Math.round(50 * f); });
    bar.value = 100;
    refresh();
    $("meldingen").textContent = `${file.name} is versleuteld en bewaard.`;
  } catch (err) {
    status.textContent = err.message === "groot" ? "Dit bestand is te groot." : "Het bewaren lukte niet. Er is niets leesbaars verstuurd. Probeer het opnieuw.";
  } finally {
    button.disabled = false;
  }
}

async function download(button) {
  const id = button.getAttribute("data-for");
  const elt = block().querySelector(`[data-entry="${CSS.escape(id)}"][data-crypto=open]`);
  const status = $("upload-status");
  if (!elt) { status.textContent = "Dit document kon niet veilig worden geopend."; return; }
  try {
    const me = keystore.loadIdentity();
    const root = block();
    const dossier = root.getAttribute("data-dossier");
    const owner = keystore.owner(dossier);
    const sealed = c.wireJson(elt.getAttribute("data-ciphertext"));
    const signer = c.authorisedSigner(sealed.author, sealed.at, {
      dossier, section: c.DOCUMENT_SECTION, ownerId: owner.id, owner: owner.identity,
      receipts: c.wireJson(root.getAttribute("data-receipts") || "[]"),
    });
    const sectionSk = keystore.sectionKey(dossier, c.DOCUMENT_SECTION, sealed.key_version);
    const { body, dataKey } = c.openEntryAndKey(sealed, {
      boxSk: sectionSk ?? me.identity.boxSk, useAuthorCopy: sectionSk === null, authorSignPk: signer.signPk,
      ownerSignPk: owner.identity.signPk, dossier, section: c.DOCUMENT_SECTION, entry: id, version: sealed.version,
    });
    status.textContent = "Bezig met ophalen en ontsleutelen…";
    const response = await fetch(button.getAttribute("data-download"), { headers: { "x-csrftoken": csrfToken() }, credentials: "same-origin" });
    if (!response.ok) throw new Error("server");
    const blob = await c.openDocumentToBlob(response.body, dataKey, {
      dossier, section: c.DOCUMENT_SECTION, entry: id, version: sealed.version, blobSha256: c.b64d(body.blob_sha256),
    }, { type: body.mime || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = body.name || "document";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = `${body.name} is gedownload.`;
  } catch {
    status.textContent = "Dit document kon niet veilig worden geopend.";
  }
}

document.addEventListener("submit", (e) => {
  if (e.target instanceof HTMLFormElement && e.target.id === "uploadformulier") upload(e);
});
document.addEventListener("click", (e) => {
  const button = e.target instanceof Element ? e.target.closest("[data-download]") : null;
  if (button) download(button);
});
