// The page config: the rules the browser shows (the section catalogue, the grant limits),
// rendered by the server into every page from the Python side (web/pages/config.py) as
// <script type="application/json" id="rugzak-config">. Never copy these rules into JS.
let config = null;

function load() {
  if (config === null) {
    const el = document.getElementById("rugzak-config");
    if (el === null) throw new Error("the page has no rugzak-config");
    config = JSON.parse(el.textContent);
  }
  return config;
}

/** The twelve sections in catalogue order: `[{ key, label }]`. */
export const sections = () => load().sections;

/** The Dutch label of a section key, or null for a key not in the catalogue. */
export const sectionLabel = (key) => load().sections.find((s) => s.key === key)?.label ?? null;

/** The keys of the seven life areas. */
export const lifeAreas = () => load().life_areas;

/** The Zelfredzaamheids-Matrix wording: `[{ score, label }]`, scores 1 to 5. */
export const zrmScale = () => load().zrm_scale;

/** For the logged-in owner on a sharing page: `{ default_until, latest_until, renewal_offered }`
 *  (ISO dates; `latest_until` null without a birth date), else null. */
export const grantLimits = () => load().grant_limits;

/** What may be sealed (dossier/sections/input.py): `{ max_text_chars, markers, empty_at:
 *  {section: {field, message}}, empty_any, too_long }` (`too_long` has `{nu}`). */
export const inputRules = () => load().input;

/** Dutch labels of body fields (`{naam: "Naam", ...}`) and of stored words (`{jongere: ...}`). */
export const fieldLabels = () => load().field_labels;
export const storedWords = () => load().words;
