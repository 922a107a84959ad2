// Browser-side halves of tests/browser/test_crypto_vectors.py (kept here, not in Python
// strings, so they read as JavaScript). Every function returns plain JSON for Python.
import * as c from "/static/js/crypto.js";

/** Seal one of everything with fresh random keys; Python opens or verifies all of it. */
export async function sealEverything() {
  const e = c.b64e;
  const owner = c.generateIdentity();
  const author = c.generateIdentity();
  const grantee = c.generateIdentity();
  const section = c.generateSectionKeyPair();
  const section2 = c.generateSectionKeyPair();
  const sectionKey = c.signSectionKey(owner, "dossier-b", "notities", 1, section.pk);
  const sectionKey2 = c.signSectionKey(owner, "dossier-b", "notities", 2, section2.pk);
  c.verifySectionKey(sectionKey, owner.signPk);
  const body = { text: "Gesprek met de coach: één afspraak 🎒", score: 4, ok: true, tags: ["a", "b"] };
  const entry = c.sealEntry(body, {
    dossier: "dossier-b", section: "notities", entry: "entry-b", version: 1,
    authorId: "coach-b", author, sectionKey,
  });
  const rewrapped = c.rewrapEntry(entry, { oldSectionSk: section.sk, newSectionKey: sectionKey2, owner });
  const wrapKey = c.deriveSubkeys(c.newDataKey()).wrapKey;
  const bundle = c.sealBundle(owner, wrapKey, "account-b");
  const code = c.newRecoveryCode();
  const recoveryWrap = c.recoverySubkeys(c.parseRecoveryCode(code)).wrapKey;
  const recovery = c.sealBundle(owner, recoveryWrap, "account-b", "recovery");
  const envelope = c.makeReadEnvelope({ grant: "grant-b", sectionKey, sectionSk: section.sk, granteeBoxPk: grantee.boxPk });
  const orgSk = c.generateBoxSecretKey();
  const orgKey = c.sealOrgKey(orgSk, { org: "org-b", member: "coach-b", keyVersion: 1, memberBoxPk: grantee.boxPk });
  const sealed = c.sealTo(grantee.boxPk, c.utf8("geheim"));
  const card = { name: "Sam", contact: "sms" };
  const profileCard = c.sealProfileCard(card, { senderId: "youth-b", sender: owner, recipientId: "coach-b", recipientBoxPk: grantee.boxPk });
  const receipt = c.signReceipt(owner, {
    grant: "grant-b", dossier: "dossier-b", section: "notities", grantee: "coach-b",
    granteeKeyFingerprint: c.fingerprint(c.identityPublic(author)), permissions: ["read", "append"],
    purpose: "begeleiding", issuedAt: new Date("2025-02-01T10:00:00.789Z"), expiresAt: "2026-02-01T10:00:00Z", keyVersion: 1,
  });
  const events = [];
  let prev = c.GENESIS;
  for (let seq = 1; seq <= 3; seq += 1) {
    const ev = { seq, dossier: "dossier-b", actor: "coach-b", action: "read", section: seq === 2 ? null : "notities", at: `2025-02-0${seq}T10:00:00Z`, prev_hash: e(prev) };
    prev = c.logHash(prev, ev);
    events.push({ ...ev, hash: e(prev) });
  }
  const checkpoint = c.signCheckpoint(owner, "dossier-b", 3, prev);
  // A document of 2.5 chunks, streamed from a Blob with progress.
  const plain = new Uint8Array(2 * c.CHUNK + 1234);
  crypto.getRandomValues(plain.subarray(0, 65536));
  plain.fill(7, 65536);
  const progress = [];
  const upload = new c.DocumentUpload(new Blob([plain]), { name: "cv.pdf", mime: "application/pdf" }, { dossier: "dossier-b", entry: "doc-b", version: 1 });
  const docSectionKey = c.signSectionKey(owner, "dossier-b", "documenten", 1, section.pk);
  const docChunks = [];
  for await (const piece of upload.chunks({ onProgress: (p) => progress.push(p.bytes) })) docChunks.push(e(piece));
  const docEntry = upload.entry({ authorId: "coach-b", author, sectionKey: docSectionKey });
  return {
    owner: { secret: e(c.identitySecret(owner)), public: c.publicIdentityToJson(c.identityPublic(owner)) },
    author: { secret: e(c.identitySecret(author)), public: c.publicIdentityToJson(c.identityPublic(author)) },
    grantee: { secret: e(c.identitySecret(grantee)) },
    section_sk: e(section.sk), section2_sk: e(section2.sk), org_sk: e(orgSk),
    section_key: sectionKey, entry, rewrapped, body,
    wrap_key: e(wrapKey), bundle, code, recovery,
    envelope, org_key: orgKey, sealed: e(sealed), card, profile_card: e(profileCard),
    receipt, events, checkpoint, head: e(prev),
    plaintext: e(plain), doc_chunks: docChunks, doc_entry: docEntry, progress,
  };
}

/** Open a Python-sealed document from a ReadableStream with odd piece sizes. */
export async function openStream(blob, key, ids, sha) {
  const bytes = c.b64d(blob);
  const stream = new ReadableStream({
    start(ctl) {
      for (let at = 0; at < bytes.length; at += 10007) ctl.enqueue(bytes.slice(at, at + 10007));
      ctl.close();
    },
  });
  const seen = [];
  const out = await c.openDocumentToBlob(stream, c.b64d(key), { ...ids, blobSha256: c.b64d(sha) }, {
    onProgress: (p) => seen.push(p.bytes),
  });
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await out.arrayBuffer()));
  return { size: out.size, digest: c.b64e(digest), last: seen.at(-1), steps: seen.length };
}

/** deriveMasterKey in the worker while a 5 ms timer counts main-thread ticks. */
export async function deriveWhileTicking(passphrase, params) {
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, 5);
  const phases = [];
  const started = performance.now();
  const key = await c.deriveMasterKey(passphrase, params, (p) => phases.push(p.phase));
  const elapsed = performance.now() - started;
  clearInterval(timer);
  return { key: c.b64e(key), ticks, elapsed, first: phases[0], last: phases.at(-1) };
}

/** The error name deriveMasterKey rejects with. */
export function deriveError(params) {
  return c.deriveMasterKey("x", params).then(() => "no error", (e) => e.name);
}

/** Import crypto.js and report how `ready` settles (used without 'wasm-unsafe-eval'). */
export function readyOutcome() {
  return c.ready.then(() => "ready", (e) => String(e));
}
