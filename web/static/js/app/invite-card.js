// A professional's profile card (name, organisation, role, phone): kept sealed to themselves on
// the server, copied to each invite (sealed to a box key derived from the invite token, the
// recipe of dossier/crypto/invites.py) and to each connected youth. Plaintext stays here.
import * as c from "../crypto.js";
import { keyedBlake2b } from "../crypto/kdf.js";
import { randomBytes } from "../crypto/rng.js";
import { pageJson } from "./transport.js";

export const INVITE_RECIPIENT = "invite";
const LABEL = "rugzak/v1/invite-card";
export const FIELDS = ["name", "organisation", "role", "phone"];

/** The box secret key whoever holds the invite link can derive. */
export function inviteBoxSk(token) {
  return keyedBlake2b(c.utf8(token), LABEL, 32);
}

/** A fresh invite token: 32 random bytes, base64url (the server stores only its hash). */
export function newToken() {
  return c.b64e(randomBytes(32));
}

/** My card, opened with my own keys; null when I made none yet. */
export async function myProfile(me) {
  const { card } = await pageJson("GET", "/api/v1/profile");
  if (!card) return null;
  return c.openProfileCard(c.b64d(card), {
    boxSk: me.identity.boxSk, recipientId: me.accountId, senderId: me.accountId, senderSignPk: me.identity.signPk,
  });
}

export async function saveProfile(me, card) {
  const sealed = c.sealProfileCard(card, {
    senderId: me.accountId, sender: me.identity, recipientId: me.accountId, recipientBoxPk: me.identity.boxPk,
  });
  await pageJson("PUT", "/api/v1/profile", { card: c.b64e(sealed) });
}

export function sealForInvite(card, me, token) {
  const pk = c.boxPublicKey(inviteBoxSk(token));
  return c.b64e(c.sealProfileCard(card, { senderId: me.accountId, sender: me.identity, recipientId: INVITE_RECIPIENT, recipientBoxPk: pk }));
}

/** Who invites: the card opened with the token's key, signed by the inviting professional. */
export function openInviteCard(sealedB64, token, professionalId, signPk) {
  return c.openProfileCard(c.b64d(sealedB64), {
    boxSk: inviteBoxSk(token), recipientId: INVITE_RECIPIENT, senderId: professionalId, senderSignPk: signPk,
  });
}

/** "Fatima Demir, jobcoach bij Jongerenloket Zwolle" (textContent only). */
export function describe(card) {
  const text = (k) => (typeof card?.[k] === "string" ? card[k].trim() : "");
  const role = [text("role"), text("organisation")].filter(Boolean).join(" bij ");
  return [text("name"), role].filter(Boolean).join(", ");
}
