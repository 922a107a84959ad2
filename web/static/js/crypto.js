// Rugzak browser crypto, wire format v2: the same recipes as dossier/crypto/ (PyNaCl), built on
// libsodium-wrappers-sumo only. Load with <script type="module" src="/static/js/crypto.js">
// or import it. Nothing here touches the network or the DOM; see docs/browser-crypto.md.
//
// `await ready` once before calling anything (every function is synchronous after that,
// except the streaming document functions and deriveMasterKey, which runs in a worker).
import { checkKdfParams, kdfParamsToJson } from "./crypto/kdf.js";
import { MalformedError, TamperedError, UnsupportedVersion, WeakParameters } from "./crypto/errors.js";

export { ready, isReady } from "./crypto/sodium.js";
export {
  AnotherAuthor, CryptoError, MalformedError, TamperedError, UnauthorisedAuthor, UnsupportedVersion, WeakParameters,
} from "./crypto/errors.js";
export {
  JsonFloat, VERSION, b64d, b64e, canonical, canonicalFromText, equalBytes, fromUtf8, parseJsonObject, sha256, utf8, wireJson,
} from "./crypto/encoding.js";
export {
  KDF_ALG, MIN_MEMLIMIT, MIN_OPSLIMIT, checkKdfParams, deriveMasterKeySync, deriveSubkeys,
  formatRecoveryCode, kdfParamsFromJson, kdfParamsToJson, newKdfParams, newRecoveryCode,
  parseRecoveryCode, recoverySubkeys, verifyAuthKey,
} from "./crypto/kdf.js";
export {
  boxPublicKey, fingerprint, formatFingerprint, generateBoxSecretKey, generateIdentity, identityFromSecret,
  identityPublic, identitySecret, openBundle, publicIdentityFromJson, publicIdentityToJson,
  sameIdentity, sealBundle, wipeIdentity,
} from "./crypto/identity.js";
export {
  MEMBERSHIP, SUCCESSION, signMembership, signStatement, signSuccession, verifyMembership,
  verifyOrgMember, verifyStatement, verifySuccession,
} from "./crypto/statements.js";
export {
  generateSectionKeyPair, signSectionKey, signedSectionKeyFromJson, verifySectionKey,
} from "./crypto/sections.js";
export {
  checkFirstVersion, entryDataKey, entryFromJson, newDataKey, openEntry, openEntryAndKey, rewrapEntry, sealEntry,
  sealEntryWithKey, verifyEntry,
} from "./crypto/entries.js";
export {
  CHUNK, CIPHER_CHUNK, DOCUMENT_SECTION, DocumentSealer, DocumentUpload, documentKey, openDocument,
  openDocumentToBlob, sealDocument, sealDocumentBytes, sealDocumentToBlob,
} from "./crypto/documents.js";
export {
  envelopeBinding, makeReadEnvelope, openGrantEnvelope, openOrgKey,
  openProfileCard, openReadEnvelope, openSealed, sealGrantEnvelope, sealOrgKey, sealProfileCard,
  sealTo,
} from "./crypto/boxes.js";
export { BATCH_OVERHEAD, batchSealer, openValue, sealValues, valueOpener } from "./crypto/batches.js";
export {
  authorisedSigner, formatTime, parseTime, receiptCovers, receiptFromJson, signReceipt,
  verifyAndOpenEntry, verifyReceipt,
} from "./crypto/receipts.js";
export { grantEndTime, signGrantEnd, verifyGrantEnd } from "./crypto/revocations.js";
export {
  GRACE_MS, UnlistedEntry, checkListed, signManifest, verifyManifest, withheld,
} from "./crypto/manifests.js";
export {
  CHALLENGE_BYTES, DEFAULT_WAIT, MAX_WAIT, MIN_WAIT, RECOVERY_BUNDLE_KIND, SHARE_BYTES, checkShareFor,
  contactWrapKey, newChallenge, newRecoverySplit, openContactBundle, openShare, recoverySetupFromJson,
  recoveryShortCode, reseal, sealContactBundle, sealContactShare, shareHash, signRecoverySetup,
  verifyRecoverySetup, xorShares,
} from "./crypto/recovery.js";
export {
  GENESIS, checkpointFromJson, hashedEvent, logHash, signCheckpoint, verifyChain, verifyCheckpoint,
} from "./crypto/logchain.js";

const ERRORS = { MalformedError, TamperedError, UnsupportedVersion, WeakParameters };

/**
 * Argon2id master key, computed in a dedicated Web Worker (kdf-worker.js) so the page stays
 * responsive. Parameters are checked here first (WeakParameters before any work). Argon2 has
 * no progress callback: onProgress gets { phase: "start" | "deriving" | "done", elapsedMs }
 * (a "deriving" tick every 100 ms) for an indeterminate indicator. The worker is ended after
 * one derivation, so its 64 MiB and any copy of the key go with it.
 */
export function deriveMasterKey(passphrase, params, onProgress = null) {
  return new Promise((resolve, reject) => {
    const p = kdfParamsToJson(checkKdfParams(params));
    if (typeof passphrase !== "string") {
      reject(new MalformedError("passphrase must be text"));
      return;
    }
    const started = performance.now();
    const report = (phase) => {
      if (onProgress) onProgress({ phase, elapsedMs: Math.round(performance.now() - started) });
    };
    const worker = new Worker(new URL("./kdf-worker.js", import.meta.url), { type: "module", name: "rugzak-kdf" });
    const ticker = setInterval(() => report("deriving"), 100);
    const finish = () => {
      clearInterval(ticker);
      worker.terminate();
    };
    worker.onmessage = ({ data }) => {
      finish();
      if (data.ok) {
        report("done");
        resolve(new Uint8Array(data.key));
      } else {
        const E = ERRORS[data.error] ?? Error;
        reject(new E(data.message));
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`key derivation worker failed: ${event.message ?? "unknown error"}`));
    };
    report("start");
    worker.postMessage({ passphrase, params: p });
  });
}
