// The vector ops of tests/support/vector_ops/ (Python), in the browser, over crypto.js.
// Every op returns exactly the `expected` object of its vector, or throws the named error.
import * as c from "/static/js/crypto.js";
import { scriptedForVectors } from "/static/js/crypto/rng.js";

const d = (text) => c.b64d(text);
const e = (bytes) => c.b64e(bytes);
const identity = (j) => c.identityFromSecret(new Uint8Array([...d(j.box_sk), ...d(j.sign_seed)]));
const subkeys = (k) => ({ auth_key: e(k.authKey), wrap_key: e(k.wrapKey) });
const ids = (i) => ({ dossier: i.dossier, section: i.section, entry: i.entry, version: i.version });
const dec = new TextDecoder();

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function collect(gen) {
  const parts = [];
  for await (const p of gen) parts.push(p);
  return concat(parts);
}

export const OPS = {
  canonical: (i) => {
    const out = c.canonical(i.value);
    return { utf8: dec.decode(out), b64: e(out) };
  },
  canonical_text: (i) => ({ utf8: dec.decode(c.canonicalFromText(i.text)) }),
  verify_auth_key: (i) => ({ valid: c.verifyAuthKey(i.stored, d(i.auth_key)) }),
  sign_membership: (i) => ({
    statement: c.signMembership(identity(i.org), {
      orgId: i.org_id, accountId: i.account, member: c.publicIdentityFromJson(i.member), keyVersion: i.key_version,
    }),
  }),
  sign_succession: (i) => ({
    statement: c.signSuccession(identity(i.old), {
      orgId: i.org_id, identity: c.publicIdentityFromJson(i.new), keyVersion: i.key_version,
    }),
  }),
  verify_org_member: (i) => {
    c.verifyOrgMember({
      orgId: i.org,
      granted: c.publicIdentityFromJson(i.granted),
      orgKeys: i.org_keys.map((k) => ({ version: k.version, identity: c.publicIdentityFromJson(k.identity), succession: k.succession })),
      accountId: i.account,
      member: c.publicIdentityFromJson(i.member),
      attestation: i.attestation,
    });
    return {};
  },
  b64decode: (i) => ({ hex: Array.from(d(i.text), (b) => b.toString(16).padStart(2, "0")).join("") }),
  derive_master_key: async (i) => ({ master_key: e(await c.deriveMasterKey(i.passphrase, c.kdfParamsFromJson(i.params))) }),
  kdf_check: (i) => {
    c.checkKdfParams(i.params);
    return {};
  },
  derive_subkeys: (i) => subkeys(c.deriveSubkeys(d(i.master))),
  recovery_subkeys: (i) => subkeys(c.recoverySubkeys(d(i.code))),
  format_recovery_code: (i) => ({ text: c.formatRecoveryCode(d(i.code)) }),
  parse_recovery_code: (i) => ({ code: e(c.parseRecoveryCode(i.text)) }),
  fingerprint: (i) => {
    const fp = c.fingerprint(c.publicIdentityFromJson(i.public));
    return { fingerprint: e(fp), formatted: c.formatFingerprint(fp) };
  },
  format_fingerprint: (i) => ({ formatted: c.formatFingerprint(d(i.fingerprint)) }),
  seal_bundle: (i) => ({
    sealed: scriptedForVectors([d(i.nonce)], () => c.sealBundle(identity(i.identity), d(i.wrap_key), i.account, i.kind)),
  }),
  open_bundle: (i) => {
    const ident = c.openBundle(i.sealed, d(i.wrap_key), i.account, i.kind);
    return { box_sk: e(ident.boxSk), sign_seed: e(ident.signSeed) };
  },
  sign_section_key: (i) => {
    if (e(c.boxPublicKey(d(i.section_sk))) !== i.pk) throw new Error("section_sk does not match pk");
    return { signed: c.signSectionKey(identity(i.owner), i.dossier, i.section, i.version, d(i.pk)) };
  },
  verify_section_key: (i) => {
    c.verifySectionKey(i.signed, d(i.owner_sign_pk));
    return {};
  },
  seal_entry: (i) => {
    const draws = ["data_key", "nonce", "sealed_key_seed", "author_sealed_key_seed"].map((k) => d(i[k]));
    const entry = scriptedForVectors(draws, () => c.sealEntry(i.body, {
      ...ids(i), authorId: i.author_id, author: identity(i.author), sectionKey: i.section_key, at: i.at,
    }));
    const ad = c.canonical({ ...ids(i), author: i.author_id, v: c.VERSION });
    return { entry, ad_utf8: dec.decode(ad) };
  },
  open_entry: (i) => ({
    body: c.openEntry(i.entry, {
      boxSk: d(i.box_sk),
      authorSignPk: d(i.author_sign_pk),
      ownerSignPk: i.owner_sign_pk === null ? null : d(i.owner_sign_pk),
      useAuthorCopy: i.use_author_copy,
      ...i.expect,
    }),
  }),
  rewrap_entry: (i) => ({
    entry: scriptedForVectors([d(i.sealed_key_seed)], () => c.rewrapEntry(i.entry, {
      oldSectionSk: d(i.old_section_sk), newSectionKey: i.new_section_key, owner: identity(i.owner),
    })),
  }),
  seal_document: async (i) => {
    const dataKey = d(i.data_key);
    const { chunks, blobSha256 } = scriptedForVectors([d(i.header)], () => c.sealDocumentBytes(d(i.plaintext), dataKey, ids(i)));
    const blob = c.sha256(concat(chunks));
    if (e(blob) !== e(blobSha256)) throw new Error("streaming sha256 differs from one-shot");
    const opened = await collect(c.openDocument(chunks, dataKey, { ...ids(i), blobSha256: blob }));
    if (e(opened) !== i.plaintext) throw new Error("document does not open to its plaintext");
    return {
      document_key: e(c.documentKey(dataKey)),
      ad_utf8: dec.decode(c.canonical({ v: c.VERSION, ...ids(i) })),
      chunks: chunks.map(e),
      blob_sha256: e(blob),
    };
  },
  open_document: async (i) => {
    const chunks = i.chunks.map(d);
    const plain = await collect(c.openDocument(chunks, d(i.data_key), { ...ids(i), blobSha256: d(i.blob_sha256) }));
    return { plaintext: e(plain) };
  },
  seal_to: (i) => ({ sealed: e(scriptedForVectors([d(i.ephemeral_seed)], () => c.sealTo(d(i.recipient_pk), d(i.secret)))) }),
  open_sealed: (i) => ({ secret: e(c.openSealed(d(i.recipient_sk), d(i.sealed))) }),
  seal_values: (i) => {
    const run = (values) => scriptedForVectors([d(i.ephemeral_seed), ...i.nonces.map(d)], () => c.sealValues(d(i.recipient_pk), values)).map(e);
    const sealed = run(i.secrets.map(d));
    // The same values as text (sealAll encodes text straight into libsodium's heap, as the
    // school's import passes it): the same bytes.
    const asText = run(i.secrets.map((v) => new TextDecoder("utf-8", { fatal: true }).decode(d(v))));
    if (asText.join() !== sealed.join()) throw new Error("sealing text differs from sealing its UTF-8");
    return { sealed };
  },
  open_values: (i) => {
    const opener = c.valueOpener(d(i.recipient_sk));
    return { secrets: i.sealed.map((v) => e(opener.open(d(v)))) };
  },
  make_read_envelope: (i) => {
    const key = c.signedSectionKeyFromJson(i.section_key);
    return {
      envelope: scriptedForVectors([d(i.ephemeral_seed)], () => c.makeReadEnvelope({
        grant: i.grant, sectionKey: key, sectionSk: d(i.section_sk), granteeBoxPk: d(i.grantee_pk),
      })),
      binding: e(c.envelopeBinding({ grant: i.grant, dossier: key.dossier, section: key.section, keyVersion: key.version })),
    };
  },
  open_read_envelope: (i) => {
    const sk = c.openReadEnvelope(i.envelope, d(i.grantee_sk), i.section_key);
    return { section_sk: e(sk), section_pk: e(c.boxPublicKey(sk)) };
  },
  seal_org_key: (i) => ({
    sealed: scriptedForVectors([d(i.ephemeral_seed)], () => c.sealOrgKey(d(i.org_sk), {
      org: i.org, member: i.member, keyVersion: i.key_version, memberBoxPk: d(i.member_pk),
    })),
  }),
  open_org_key: (i) => {
    const sk = c.openOrgKey(i.sealed, d(i.member_sk));
    return { org_sk: e(sk), org_pk: e(c.boxPublicKey(sk)) };
  },
  seal_profile_card: (i) => {
    const sealed = scriptedForVectors([d(i.ephemeral_seed)], () => c.sealProfileCard(i.card, {
      senderId: i.sender_id, sender: identity(i.sender), recipientId: i.recipient_id, recipientBoxPk: d(i.recipient_pk),
    }));
    const signed = c.canonical({ v: c.VERSION, from: i.sender_id, to: i.recipient_id, card: i.card });
    return { sealed: e(sealed), signed_utf8: dec.decode(signed) };
  },
  open_profile_card: (i) => ({
    card: c.openProfileCard(d(i.sealed), {
      boxSk: d(i.recipient_sk), recipientId: i.recipient_id, senderId: i.sender_id, senderSignPk: d(i.sender_sign_pk),
    }),
  }),
  sign_receipt: (i) => {
    const f = i.fields;
    const receipt = c.signReceipt(identity(i.owner), {
      grant: f.grant,
      dossier: f.dossier,
      section: f.section,
      grantee: f.grantee,
      granteeKeyFingerprint: d(f.grantee_key_fingerprint),
      permissions: f.permissions,
      purpose: f.purpose,
      issuedAt: f.issued_at,
      expiresAt: f.expires_at,
      keyVersion: f.key_version,
    });
    const unsigned = { ...receipt };
    delete unsigned.signature;
    return { receipt, signed_utf8: dec.decode(c.canonical(unsigned)) };
  },
  verify_receipt: (i) => {
    c.verifyReceipt(i.receipt, d(i.owner_sign_pk));
    return {};
  },
  authorised_signer: (i) => {
    const signer = c.authorisedSigner(i.entry_author, i.at, {
      dossier: i.dossier,
      section: i.section,
      ownerId: i.owner_id,
      owner: i.owner,
      receipts: i.receipts.map((r) => ({
        receipt: c.receiptFromJson(r.receipt), grantee: c.publicIdentityFromJson(r.grantee), end: r.end ?? null,
      })),
      memberOf: i.member_of,
      authorIdentity: i.author_identity,
      listedEnds: Object.fromEntries(Object.entries(i.listed_ends ?? {}).map(([g, t]) => [g, c.parseTime(t)])),
    });
    return { signer: c.publicIdentityToJson(signer) };
  },
  sign_grant_end: (i) => {
    const statement = c.signGrantEnd(identity(i.owner), { grant: i.grant, dossier: i.dossier, section: i.section, at: i.at });
    const { signature: _, ...unsigned } = statement;
    return { statement, signed_utf8: dec.decode(c.canonical(unsigned)) };
  },
  verify_grant_end: (i) => ({
    at: c.formatTime(new Date(c.verifyGrantEnd(i.statement, d(i.owner_sign_pk), { grant: i.grant, dossier: i.dossier, section: i.section }))),
  }),
  sign_manifest: (i) => {
    const statement = c.signManifest(identity(i.owner), { dossier: i.dossier, section: i.section, seq: i.seq, at: i.at, entries: i.entries, ends: i.ends });
    const { signature: _, ...unsigned } = statement;
    return { statement, signed_utf8: dec.decode(c.canonical(unsigned)) };
  },
  verify_manifest: (i) => {
    const m = c.verifyManifest(i.statement, d(i.owner_sign_pk), { dossier: i.dossier, section: i.section });
    const entries = Object.fromEntries([...m.entries].map(([k, v]) => [k, { version: v.version, signature_sha256: e(v.hash) }]));
    const ends = Object.fromEntries(Object.entries(m.ends).map(([g, t]) => [g, c.formatTime(new Date(t))]));
    return { seq: m.seq, at: c.formatTime(new Date(m.at)), entries, ends };
  },
  check_listed: (i) => {
    c.checkListed(c.verifyManifest(i.manifest, d(i.owner_sign_pk), { dossier: i.dossier, section: i.section }), i.entry);
    return {};
  },
  withheld: (i) => ({
    entries: c.withheld(c.verifyManifest(i.manifest, d(i.owner_sign_pk), { dossier: i.dossier, section: i.section }), new Map(Object.entries(i.shown))),
  }),
  from_wire_text: (i) => {
    const value = c.wireJson(i.text);
    if (i.kind === "entry") c.entryFromJson(value);
    else if (i.kind === "receipt") c.receiptFromJson(value);
    else c.canonical(value);
    return {};
  },
  log_hash: (i) => {
    const prev = d(i.prev_hash);
    const hashed = c.canonical(c.hashedEvent(prev, i.event));
    return { hash: e(c.logHash(prev, i.event)), hashed_utf8: dec.decode(hashed) };
  },
  sign_checkpoint: (i) => ({ checkpoint: c.signCheckpoint(identity(i.owner), i.dossier, i.seq, d(i.hash)) }),
  recovery_split: (i) => {
    const split = scriptedForVectors([d(i.server_share), d(i.contact_share)], () => c.newRecoverySplit());
    if (e(c.xorShares(split.key, split.serverShare)) !== i.contact_share) throw new Error("split does not XOR back");
    return { key: e(split.key) };
  },
  seal_contact_bundle: (i) => ({
    sealed: scriptedForVectors([d(i.nonce)], () => c.sealContactBundle(identity(i.identity), d(i.recovery_key), i.account)),
    wrap_key: e(c.contactWrapKey(d(i.recovery_key))),
  }),
  open_contact_bundle: (i) => {
    const ident = c.openContactBundle(i.sealed, d(i.server_share), d(i.contact_share), i.account);
    return { box_sk: e(ident.boxSk), sign_seed: e(ident.signSeed) };
  },
  seal_contact_share: (i) => {
    const sealed = scriptedForVectors([d(i.ephemeral_seed)], () => c.sealContactShare(d(i.contact_pk), d(i.contact_share)));
    return { sealed: e(sealed), share_sha256: e(c.shareHash(sealed)) };
  },
  reseal_share: (i) => ({
    resealed: e(scriptedForVectors([d(i.ephemeral_seed)], () => c.reseal(d(i.contact_sk), d(i.sealed), d(i.device_pk)))),
  }),
  open_share: (i) => ({ share: e(c.openShare(d(i.box_sk), d(i.sealed))) }),
  sign_recovery_setup: (i) => {
    const contacts = i.contacts.map((x) => ({ account: x.account, fingerprint: d(x.fingerprint), share_sha256: d(x.share_sha256) }));
    const setup = c.signRecoverySetup(identity(i.youth), {
      account: i.account, setup: i.setup, contacts, waitSeconds: i.wait_seconds,
    });
    const unsigned = { ...setup };
    delete unsigned.signature;
    return { setup, signed_utf8: dec.decode(c.canonical(unsigned)) };
  },
  verify_recovery_setup: (i) => {
    c.verifyRecoverySetup(i.setup, d(i.youth_sign_pk));
    return {};
  },
  check_share_for: (i) => {
    c.checkShareFor(i.setup, d(i.youth_sign_pk), { account: i.account, contactId: i.contact, sealedShare: d(i.sealed) });
    return {};
  },
  recovery_short_code: (i) => ({ code: c.recoveryShortCode(d(i.device_pk), i.request, d(i.challenge)) }),
  verify_chain: (i) => ({
    head: e(c.verifyChain(i.events, {
      checkpoint: i.checkpoint, ownerSignPk: i.owner_sign_pk === null ? null : d(i.owner_sign_pk),
    })),
  }),
};

/** Run one case; resolves { ok, got } or { ok: false, error: <class name>, message }. */
export async function runCase(testCase) {
  await c.ready;
  const op = OPS[testCase.op];
  if (!op) return { ok: false, error: "NoSuchOp", message: testCase.op };
  try {
    return { ok: true, got: await op(testCase.inputs) };
  } catch (err) {
    return { ok: false, error: err?.name ?? "Error", message: String(err?.message ?? err), isCryptoError: err instanceof c.CryptoError };
  }
}
