#!/usr/bin/env node
// Copy exactly the built third-party files the app serves from node_modules/ (installed by
// `npm ci` from package-lock.json) into web/static/vendor/, axe-core into tests/browser/vendor/,
// each with its licence, and write web/static/vendor/sri.json (sha384 SRI of every served
// file, ours included) and web/static/vendor/SOURCES.json (which package@version each came from).
//
//   node scripts/vendor.mjs          write the files (what `make vendor` runs after `npm ci`)
//   node scripts/vendor.mjs --check  change nothing; exit 1 if any file or hash would differ
//   node scripts/vendor.mjs --sri    only recompute sri.json (after editing web/static/js/)
//
// The output is a pure function of node_modules/, so a run regenerates the committed files
// byte for byte.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NM = join(ROOT, "node_modules");
const STATIC = join(ROOT, "web", "static");
const VENDOR = join(STATIC, "vendor");
const TEST_VENDOR = join(ROOT, "tests", "browser", "vendor");

// [package, file inside the package, destination, optional exact-once rewrites]
const FILES = [
  ["libsodium-wrappers-sumo", "dist/modules-sumo-esm/libsodium-wrappers.mjs", join(VENDOR, "libsodium", "libsodium-wrappers.mjs"),
    // The ESM build imports the bare specifier "libsodium-sumo"; a browser needs a URL, and an
    // import map would be an inline script (blocked by our CSP). Point it at the file beside it.
    [['from"libsodium-sumo"', 'from"./libsodium-sumo.mjs"']]],
  ["libsodium-wrappers-sumo", "LICENSE", join(VENDOR, "libsodium", "LICENSE")],
  ["libsodium-sumo", "dist/modules-sumo-esm/libsodium-sumo.mjs", join(VENDOR, "libsodium", "libsodium-sumo.mjs")],
  ["libsodium-sumo", "LICENSE", join(VENDOR, "libsodium", "LICENSE.libsodium-sumo")],
  ["fflate", "esm/browser.js", join(VENDOR, "fflate", "fflate.mjs")],
  ["fflate", "LICENSE", join(VENDOR, "fflate", "LICENSE")],
  ["htmx.org", "dist/htmx.min.js", join(VENDOR, "htmx", "htmx.min.js")],
  ["htmx.org", "LICENSE", join(VENDOR, "htmx", "LICENSE")],
  ["@utrecht/component-library-css", "dist/index.css", join(VENDOR, "utrecht", "component-library.css")],
  ["@utrecht/component-library-css", "LICENSE.md", join(VENDOR, "utrecht", "LICENSE.md")],
  ["@nl-design-system-unstable/voorbeeld-design-tokens", "dist/theme.css", join(VENDOR, "voorbeeld", "theme.css")],
  ["@nl-design-system-unstable/voorbeeld-design-tokens", "LICENSE.md", join(VENDOR, "voorbeeld", "LICENSE.md")],
  // papaparse ships UMD only; as a module `this` is undefined, so it sets globalThis.Papa.
  ["papaparse", "papaparse.min.js", join(VENDOR, "papaparse", "papaparse.mjs"),
    [["})(this,function r(){", "})(globalThis,function r(){"]]],
  ["papaparse", "LICENSE", join(VENDOR, "papaparse", "LICENSE")],
  ["lean-qr", "index.mjs", join(VENDOR, "lean-qr", "lean-qr.mjs")],
  ["lean-qr", "extras/svg.mjs", join(VENDOR, "lean-qr", "svg.mjs")],
  ["lean-qr", "LICENSE", join(VENDOR, "lean-qr", "LICENSE")],
  ["axe-core", "axe.min.js", join(TEST_VENDOR, "axe.min.js")],
  ["axe-core", "LICENSE", join(TEST_VENDOR, "LICENSE.axe-core")],
  ["axe-core", "LICENSE-3RD-PARTY.txt", join(TEST_VENDOR, "LICENSE-3RD-PARTY.axe-core.txt")],
];

const SERVED = /\.(m?js|css)$/;
const mode = process.argv[2] ?? "--write";
if (!["--write", "--check", "--sri"].includes(mode)) {
  console.error(`unknown option ${mode}`);
  process.exit(2);
}

const posix = (p) => p.split(sep).join("/");
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
const out = new Map(); // destination -> bytes

function version(pkg) {
  return JSON.parse(readFileSync(join(NM, pkg, "package.json"), "utf8")).version;
}

function lockedVersion(pkg) {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
  return lock.packages[`node_modules/${pkg}`]?.version;
}

const sources = {};
if (mode !== "--sri") {
  for (const [pkg, file, dest, rewrites = []] of FILES) {
    const have = version(pkg);
    if (have !== lockedVersion(pkg)) {
      throw new Error(`${pkg} ${have} in node_modules is not the locked version; run npm ci`);
    }
    let bytes = readFileSync(join(NM, pkg, file));
    for (const [from, to] of rewrites) {
      const text = bytes.toString("utf8");
      const count = text.split(from).length - 1;
      if (count !== 1) throw new Error(`${pkg}/${file}: expected ${from} once, found ${count}`);
      bytes = Buffer.from(text.replace(from, to), "utf8");
    }
    out.set(dest, bytes);
    const key = `${pkg}@${have}`;
    (sources[key] ??= []).push({ from: file, to: posix(relative(ROOT, dest)), ...(rewrites.length ? { rewritten: rewrites.map(([a, b]) => `${a} -> ${b}`) } : {}) });
  }
  out.set(join(VENDOR, "SOURCES.json"), Buffer.from(`${JSON.stringify(sources, null, 2)}\n`));
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

// sri.json: every served .js/.mjs/.css under web/static/vendor and web/static/js, keyed by its
// path below web/static/ (the URL is /static/<key>), in sorted order.
const hashes = {};
const served = new Map();
for (const file of [...walk(VENDOR), ...walk(join(STATIC, "js")), ...walk(join(STATIC, "css"))]) served.set(file, readFileSync(file));
for (const [dest, bytes] of out) if (dest.startsWith(VENDOR)) served.set(dest, bytes);
for (const file of [...served.keys()].sort()) {
  const key = posix(relative(STATIC, file));
  if (SERVED.test(key)) hashes[key] = sri(served.get(file));
}
const sorted = Object.fromEntries(Object.keys(hashes).sort().map((k) => [k, hashes[k]]));
out.set(join(VENDOR, "sri.json"), Buffer.from(`${JSON.stringify(sorted, null, 2)}\n`));

let differs = 0;
for (const [dest, bytes] of out) {
  const same = existsSync(dest) && Buffer.compare(readFileSync(dest), bytes) === 0;
  if (mode === "--check") {
    if (!same) {
      console.error(`differs: ${posix(relative(ROOT, dest))}`);
      differs += 1;
    }
  } else if (!same) {
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, bytes);
    console.log(`wrote ${posix(relative(ROOT, dest))}`);
  }
}
if (differs) {
  console.error(`${differs} vendored file(s) differ: run make vendor`);
  process.exit(1);
}
console.log(mode === "--check" ? "vendored files are up to date" : `${out.size} files checked`);
