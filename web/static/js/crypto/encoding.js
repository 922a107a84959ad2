// Encodings shared by every structure: strict unpadded base64url, canonical JSON, field readers.
// Mirrors dossier/crypto/encoding.py byte for byte: the bytes that are signed or used as AD
// come only from `canonical`.
import { MalformedError, UnsupportedVersion } from "./errors.js";
import { S } from "./sodium.js";

export const VERSION = 2;
export const MAX_SAFE_INT = Number.MAX_SAFE_INTEGER; // 2**53 - 1, as in Python
const B64URL = /^[A-Za-z0-9_-]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encoder = new TextEncoder();
const NATIVE_B64 = typeof Uint8Array.prototype.toBase64 === "function";
const B64_OPTIONS = { alphabet: "base64url", omitPadding: true };
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function utf8(text) {
  return encoder.encode(text);
}

export function fromUtf8(bytes) {
  return strictDecoder.decode(bytes);
}

/** Unpadded base64url, the only way binary values travel in the JSON. */
export function b64e(bytes) {
  // The browser's own encoder where it has one (Uint8Array.prototype.toBase64: no copy into
  // the wasm heap and back; 1,296 sealed values encode in 0.3 ms instead of 3.4 ms).
  // Anything but bytes (libsodium's also takes a string) goes the old way.
  if (NATIVE_B64 && bytes instanceof Uint8Array) return bytes.toBase64(B64_OPTIONS);
  const s = S();
  return s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING);
}

/** Strict inverse of b64e: no padding, no other alphabet, no non-zero trailing bits. */
export function b64d(text) {
  if (typeof text !== "string" || !B64URL.test(text) || text.length % 4 === 1) {
    throw new MalformedError("not unpadded base64url");
  }
  if (text === "") {
    return new Uint8Array(0);
  }
  const s = S();
  let data;
  try {
    data = s.from_base64(text, s.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    throw new MalformedError("not unpadded base64url");
  }
  if (b64e(data) !== text) {
    throw new MalformedError("non-canonical base64url");
  }
  return data;
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sha256(bytes) {
  return S().crypto_hash_sha256(bytes);
}

/** Constant-time equality of two byte strings (false on different lengths). */
export function equalBytes(a, b) {
  return a.length === b.length && S().memcmp(a, b);
}

function compareCodePoints(a, b) {
  // Sort keys by code point, as Python does (not by UTF-16 unit, as Array.sort does).
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialise(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new MalformedError("string is not valid Unicode");
    return JSON.stringify(value.normalize("NFC"));
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new MalformedError("number has no canonical JSON form");
    if (Math.abs(value) > MAX_SAFE_INT) {
      throw new MalformedError("integer outside the range JavaScript represents exactly");
    }
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(serialise).join(",")}]`;
  }
  if (isPlainObject(value)) {
    const keys = new Map();
    for (const k of Object.keys(value)) {
      if (LONE_SURROGATE.test(k)) throw new MalformedError("string is not valid Unicode");
      const nfc = k.normalize("NFC");
      if (keys.has(nfc)) throw new MalformedError("two keys are equal after NFC normalisation");
      keys.set(nfc, k);
    }
    const sorted = [...keys.keys()].sort(compareCodePoints);
    return `{${sorted.map((k) => `${JSON.stringify(k)}:${serialise(value[keys.get(k)])}`).join(",")}}`;
  }
  throw new MalformedError(`${typeof value} has no canonical JSON form`);
}

/** UTF-8 JSON of the NFC-normalised value (keys too), keys sorted by code point, no spaces,
 *  non-ASCII kept as is (dossier/crypto/encoding.py canonical). */
export function canonical(obj) {
  return utf8(serialise(obj));
}

/** The first check of every fromJson: only "v": 2 (a number, not true) is spoken. */
export function checkVersion(d) {
  if (!isPlainObject(d)) throw new MalformedError("expected a JSON object");
  const v = d.v;
  if (typeof v !== "number" || v !== VERSION) {
    const shown = v instanceof JsonFloat ? v.source : JSON.stringify(v ?? null);
    throw new UnsupportedVersion(`unsupported version ${shown}`);
  }
  return d;
}

export function checkV(v) {
  if (v !== VERSION) throw new UnsupportedVersion(`unsupported version ${v}`);
}

export function getStr(d, key) {
  const value = d[key];
  if (typeof value !== "string") throw new MalformedError(`${key}: expected a string`);
  return value;
}

export function getInt(d, key) {
  const value = d[key];
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MalformedError(`${key}: expected a non-negative integer`);
  }
  return value;
}

export function getBytes(d, key, length = null) {
  const value = d[key];
  if (typeof value !== "string") throw new MalformedError(`${key}: expected a base64url string`);
  const data = b64d(value);
  if (length !== null && data.length !== length) {
    throw new MalformedError(`${key}: expected ${length} bytes`);
  }
  return data;
}

export function checkLen(name, data, length) {
  if (!(data instanceof Uint8Array) || data.length !== length) {
    throw new MalformedError(`${name}: expected ${length} bytes`);
  }
  return data;
}

export function checkInt(name, value) {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MalformedError(`${name}: expected a non-negative integer`);
  }
  return value;
}

export function checkStr(name, value) {
  if (typeof value !== "string") throw new MalformedError(`${name}: expected a string`);
  return value;
}

/** Decode a plaintext produced by `canonical` that must be a JSON object. */
export function parseJsonObject(bytes) {
  let value;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch {
    throw new MalformedError("plaintext is not JSON");
  }
  if (!isPlainObject(value)) throw new MalformedError("plaintext is not a JSON object");
  return value;
}

export { isPlainObject };

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** RFC 3339 in the one form the format signs (UTC, whole seconds, "Z"); returns epoch milliseconds. */
export function parseTime(text) {
  const m = typeof text === "string" ? TIME.exec(text) : null;
  if (m === null) throw new MalformedError("time must look like 2025-01-31T12:00:00Z");
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (y < 1 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d
      || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    throw new MalformedError("not a valid date and time");
  }
  return ms;
}

/** Normalise a Date (or a signed-form string) to the signed form; sub-seconds are truncated. */
export function formatTime(at) {
  if (typeof at === "string") {
    parseTime(at);
    return at;
  }
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new MalformedError("not a date");
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** canonical() of a JSON text, refusing any number written with a fraction or an exponent
 *  (`1.0`, `1e2`): Python reads those as floats, which have no canonical form, while
 *  JSON.parse would silently make them integers. */
export function canonicalFromText(text) {
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let j = i;
      while (j < text.length && /[-+0-9.eE]/.test(text[j])) j += 1;
      if (/[.eE]/.test(text.slice(i, j))) throw new MalformedError("number has no canonical JSON form");
      i = j - 1;
    }
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedError("not JSON");
  }
  return canonical(value);
}

/** A JSON number written with a fraction or an exponent (`1.0`, `1e2`), kept apart from the
 *  integers: Python reads it as a float, so it must not turn into an integer here. Every
 *  reader refuses it like Python does (checkVersion: UnsupportedVersion; getInt, canonical:
 *  MalformedError). */
export class JsonFloat {
  constructor(source) {
    this.source = source;
  }
}

let sourceAccess = null;

function hasSourceAccess() {
  if (sourceAccess === null) {
    let seen = false;
    JSON.parse("1", (_k, v, context) => { seen = typeof context?.source === "string"; return v; });
    sourceAccess = seen;
  }
  return sourceAccess;
}

/** Parse JSON that came over the wire (an API answer, a data attribute): like JSON.parse,
 *  but a number with a fraction or exponent becomes a JsonFloat instead of a JS number, so
 *  `"version": 1.0` is refused as in Python instead of silently read as 1. Without the
 *  browser's source-text access the text is refused outright (MalformedError). */
export function wireJson(text) {
  if (typeof text !== "string") throw new MalformedError("not JSON");
  if (!hasSourceAccess()) {
    canonicalFromText(text);
    return JSON.parse(text);
  }
  try {
    return JSON.parse(text, (_key, value, context) => (
      typeof value === "number" && /[.eE]/.test(context.source) ? new JsonFloat(context.source) : value
    ));
  } catch (err) {
    if (err instanceof SyntaxError) throw new MalformedError("not JSON");
    throw err;
  }
}
