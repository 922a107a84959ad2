// The grants of a "yes" to a school campaign, made exactly like dossier/client/campaigns.py
// _campaign_grants: per section an owner-signed receipt (read only, the campaign's purpose,
// its period, never past the day before the 27th birthday) and the section key sealed to the
// RECEIVING organisation's key (pinned on first use), never to the school. Used by the
// campaign page (campaign.js) and by "Toch ja" on Delen (sharing.js).
import * as c from "../crypto.js";
import { grantLimits } from "./config.js";
import { grantItem } from "./consent.js";
import { fingerprintOf, trust } from "./people.js";

export const DAY_MS = 86_400_000;

/** The element's `data-identity` must be the key whose digits it shows (`data-fingerprint`). */
export function codeMatches(el) {
  let identity;
  try { identity = JSON.parse(el.getAttribute("data-identity")); } catch { identity = null; }
  return identity !== null && fingerprintOf(identity) === el.getAttribute("data-fingerprint");
}

/** The campaign's period from now (`data-period-days`), capped at the owner's latest end
 *  date (the page config's grant limits, when there are any). */
export function expiryOf(el) {
  const days = Number(el.getAttribute("data-period-days"));
  let expires = new Date(Date.now() + days * DAY_MS);
  const latest = grantLimits()?.latest_until;
  if (latest && /^\d{4}-\d{2}-\d{2}$/.test(latest)) {
    const cap = new Date(`${latest}T23:59:59Z`);
    if (cap < expires) expires = cap;
  }
  return expires;
}

/** One grant item per section (`sections`), for the receiving organisation only. */
export function campaignGrants(state, receiver, identityJson, { sections, purpose, expiresAt }) {
  if (expiresAt.getTime() <= Date.now()) throw new c.MalformedError("no time left to share");
  const identity = trust(receiver, identityJson);
  return sections.map((key) => grantItem(
    state, key, receiver, { kind: "organisation", identity }, { permissions: ["read"], purpose, expiresAt },
  ));
}
