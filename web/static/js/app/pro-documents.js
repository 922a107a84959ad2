// Documents shared with me, on one youth's page: the entry (name, size, type) is opened by
// htmx-rugzak.js like any entry; "Download" opens the entry again for its data key, streams the
// ciphertext from GET …/blob (the server checks my grant and logs the read), decrypts it here
// chunk by chunk and checks it against the SHA-256 the signed entry names. The file never
// exists unencrypted outside this tab.
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { csrfToken } from "./common.js";

const FAILED = "Dit document kon niet veilig worden geopend.";

function sizeText(n) {
  const bytes = Number(n.textContent);
  if (!Number.isFinite(bytes) || n.textContent === "") return;
  n.textContent = bytes < 1024 * 1024 ? `(${Math.max(1, Math.round(bytes / 1024))} kB)` : `(${(bytes / 1024 / 1024).toFixed(1)} MB)`;
}

async function download(button) {
  const block = button.closest("[data-section]");
  const status = block?.querySelector("#download-status");
  const id = button.getAttribute("data-for");
  const elt = block?.querySelector(`[data-entry="${CSS.escape(id)}"][data-crypto=open]`);
  if (!block || !elt) { if (status) status.textContent = FAILED; return; }
  try {
    const dossier = block.getAttribute("data-dossier");
    const section = block.getAttribute("data-section");
    const owner = keystore.owner(dossier);
    const sealed = c.wireJson(elt.getAttribute("data-ciphertext"));
    const signer = c.authorisedSigner(sealed.author, elt.getAttribute("data-at"), {
      dossier, section, ownerId: owner.id, owner: owner.identity,
      receipts: c.wireJson(block.getAttribute("data-receipts") || "[]"),
    });
    const sectionSk = keystore.sectionKey(dossier, section, sealed.key_version);
    if (sectionSk === null) throw new c.TamperedError("no section key");
    const { body, dataKey } = c.openEntryAndKey(sealed, {
      boxSk: sectionSk, useAuthorCopy: false, authorSignPk: signer.signPk,
      ownerSignPk: owner.identity.signPk, dossier, section, entry: id, version: sealed.version,
    });
    if (status) status.textContent = "Bezig met ophalen en ontsleutelen…";
    const response = await fetch(button.getAttribute("data-pro-download"), { headers: { "x-csrftoken": csrfToken() }, credentials: "same-origin" });
    if (!response.ok) throw new Error("server");
    const blob = await c.openDocumentToBlob(response.body, dataKey, {
      dossier, section, entry: id, version: sealed.version, blobSha256: c.b64d(body.blob_sha256),
    }, { type: body.mime || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = body.name || "document";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    if (status) status.textContent = `${body.name} is gedownload.`;
  } catch {
    if (status) status.textContent = FAILED;
  }
}

document.addEventListener("rugzak:opened", (e) => {
  e.target.querySelectorAll("[data-bytes]").forEach(sizeText);
});
document.addEventListener("click", (e) => {
  const button = e.target instanceof Element ? e.target.closest("[data-pro-download]") : null;
  if (button) download(button);
});
