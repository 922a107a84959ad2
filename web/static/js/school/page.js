// What the parts of one campaign's page (school/campagne.html, js/school/campaign.js) share:
// the page's facts, the school's key once opened, one action at a time with its status and
// its Dutch error, and a table cell.
import * as c from "../crypto.js";
import { messageFor, say, showError } from "../app/common.js";

export const $ = (id) => document.getElementById(id);
export const root = $("campagne");
export const campaignId = root.getAttribute("data-campaign");
export const school = JSON.parse(root.getAttribute("data-school"));
export const info = JSON.parse(root.getAttribute("data-sheet"));
export const base = `/api/v1/campaigns/${campaignId}`;

// Names and groups are sealed in one batch per import (docs/crypto.md, "Batch-sealed
// values"): one ephemeral key, the shared key computed once, a random nonce per value, so the
// server still cannot tell two equal names or groups apart. The ephemeral key is wiped when
// the import's values are sealed. Opening caches the shared key per ephemeral key: a whole
// import opens with one X25519 operation; older classic sealed boxes still open.
/** `org`: the school's organisation identity, opened with my sealed copy; `opener` for its
 *  sealed values. Set once by campaign.js. */
export const keys = { org: null, opener: null };
export const open = (sealed) => (sealed ? c.fromUtf8(keys.opener.open(c.b64d(sealed))) : "");

let busy = false;

export async function act(status, work) {
  if (busy) return;
  busy = true;
  showError($("fout"), "");
  say($("voortgang"), status);
  try {
    await work();
  } catch (err) {
    say($("voortgang"), "");
    showError($("fout"), messageFor(err));
  } finally {
    busy = false;
  }
}

export function cell(text) {
  const td = document.createElement("td");
  td.className = "utrecht-table__cell";
  td.textContent = text;
  return td;
}
