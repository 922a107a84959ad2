// Grant ends in the owner's browser, exactly like GrantsClient.sign_ends: after anything that
// ended grants (and on unlock), sign the end of every revoked grant that has none yet, at the
// server's revoked_at or this device's clock if earlier (docs/crypto.md, "Grant ends").
import * as c from "../crypto.js";
import * as keystore from "../keystore.js";
import { pageJson } from "./transport.js";

const path = (dossier, rest) => `/api/v1/dossiers/${encodeURIComponent(dossier)}${rest}`;

/** Returns how many ends the server stored. */
export async function signEndsDue(dossier) {
  const { ends: due } = await pageJson("GET", path(dossier, "/grant-ends/due"));
  if (due.length === 0) return 0;
  const unlocked = keystore.loadIdentity();
  if (unlocked === null) throw new c.TamperedError("locked");
  const now = Date.now();
  const ends = due.map((item) => c.signGrantEnd(unlocked.identity, {
    grant: item.grant,
    dossier,
    section: item.section,
    at: new Date(Math.min(Date.parse(item.revoked_at), now)),
  }));
  const { stored } = await pageJson("POST", path(dossier, "/grant-ends"), { ends });
  return stored;
}
