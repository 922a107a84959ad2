// The new device's recovery request ("Ik kom er niet meer in"), kept on this device across
// reloads and days (the wait is 24 hours to 7 days; a youth closes the tab). IndexedDB of this
// origin, one record: username, request id, request token and the device's X25519 key pair.
// Cleared when the recovery completes, is stopped ("Dit ben ik niet"), expires, or the youth
// chooses "Opnieuw beginnen". Nothing of the rugzak itself is ever stored here. What someone
// with this browser profile can do with the record is in docs/recovery.md.
const DB = "rugzak-recovery";
const STORE = "request";
const KEY = "current";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** { v, username, id, token, deviceSk, devicePk } or null. Storage off: null (tab memory only). */
export async function loadRequest() {
  try {
    const rec = await run("readonly", (store) => store.get(KEY));
    if (!rec || rec.v !== 1 || !(rec.deviceSk instanceof Uint8Array)) return null;
    return rec;
  } catch {
    return null;
  }
}

export async function saveRequest({ username, id, token, deviceSk, devicePk }) {
  try {
    await run("readwrite", (store) => store.put({ v: 1, username, id, token, deviceSk, devicePk }, KEY));
    return true;
  } catch {
    return false; // private mode or storage off: the request lives in this tab only
  }
}

export async function clearRequest() {
  try {
    await run("readwrite", (store) => store.delete(KEY));
  } catch {
    // nothing stored
  }
}
