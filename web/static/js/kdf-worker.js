// Module worker: one Argon2id derivation per worker (crypto.js deriveMasterKey starts and ends
// it). Receives { passphrase, params } and answers { ok, key } or { ok: false, error, message }.
import { ready } from "./crypto/sodium.js";
import { deriveMasterKeySync } from "./crypto/kdf.js";

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const key = deriveMasterKeySync(data.passphrase, data.params);
    self.postMessage({ ok: true, key: key.buffer }, [key.buffer]);
  } catch (err) {
    self.postMessage({ ok: false, error: err?.name ?? "Error", message: String(err?.message ?? err) });
  }
};
