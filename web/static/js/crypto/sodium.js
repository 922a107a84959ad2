// The one place that loads libsodium (the vendored libsodium-wrappers-sumo ESM build).
// No top-level await: importing this module never blocks; `ready` resolves once the WASM
// instance is up, and `S()` throws until then so no crypto can run half-initialised.
import sodiumModule from "../../vendor/libsodium/libsodium-wrappers.mjs";

let loaded = null;

/** Resolves with the initialised libsodium object (rejects if WebAssembly is blocked). */
export const ready = sodiumModule.ready.then(() => {
  loaded = sodiumModule;
  return sodiumModule;
});

/** The libsodium object; throws if `await ready` has not completed yet. */
export function S() {
  if (loaded === null) {
    throw new Error("libsodium is not ready yet: await ready first");
  }
  return loaded;
}

export function isReady() {
  return loaded !== null;
}
